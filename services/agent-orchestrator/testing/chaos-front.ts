import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { RunQueue } from '../execution/run-queue.js';
import { TaskLifecycle } from '../execution/task-lifecycle.js';
import { agentA2aRoutes } from '../routes/a2a-routes.js';
import { agentCardRoutes } from '../routes/card-routes.js';
import { CHAOS_QUEUE } from './chaos-settings.js';

/** How long a task may take, its children included: far beyond the test, so no deadline ends one. */
const DEADLINE_SECONDS = 3_600;

/**
 * The orchestrator's public A2A surface (agent cards, JSON-RPC per agent) on the kit, over the
 * database `databaseUrl` (`sql` connects to it), with a run queue that enqueues but runs
 * nothing: every run happens in the worker processes, so killing them is killing every worker.
 * Its queue is started with {@link CHAOS_QUEUE} (creating the queue with those settings when it
 * is the first); call `stop()` at the end.
 */
export async function startChaosFront(sql: Database, databaseUrl: string) {
  const queue = new RunQueue({ connectionString: databaseUrl, ...CHAOS_QUEUE });
  await queue.start(() => {});
  const lifecycle = new TaskLifecycle(sql, queue);
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'agent-orchestrator',
  });
  const publicRoutes = agentCardRoutes(sql);
  publicRoutes.route(
    '/',
    agentA2aRoutes({ sql, lifecycle, deadlineSeconds: DEADLINE_SECONDS, verify, waitMs: 1_000 }),
  );
  const { app } = kitApp({
    service: 'agent-orchestrator',
    logLevel: 'silent',
    metrics: createServiceMetrics({
      service: 'agent-orchestrator',
      declared: serviceDefinition('agent-orchestrator').metrics,
    }),
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    publicRoutes,
  });
  return { app, stop: () => queue.stop({ timeoutMs: 2_000 }) };
}
