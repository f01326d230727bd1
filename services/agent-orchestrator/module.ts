import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { isEmbeddingClass } from '../platform/llm/routing.js';
import { defineModule } from '../platform/module.js';
import { pgPoolConfig } from '../platform/pg-pool-config.js';
import { serviceTokens } from '../platform/service-identity/service-token.js';
import { agentOrchestrator } from './definition.js';
import { deadlineWorker } from './execution/deadline-worker.js';
import { settlementReconciler } from './execution/delegation/settlement-reconciler.js';
import { pushNotifications } from './execution/push-notifications.js';
import { createRunMetrics } from './execution/run-metrics.js';
import { RunQueue } from './execution/run-queue.js';
import { runTask } from './execution/run-task.js';
import { TaskLifecycle } from './execution/task-lifecycle.js';
import { agentA2aRoutes } from './routes/a2a-routes.js';
import { addAgentRoutes } from './routes/agent-routes.js';
import { agentCardRoutes } from './routes/card-routes.js';
import { addTaskTreeRoutes } from './routes/task-tree-routes.js';

/** How long a registration stays replayable for its Idempotency-Key. */
const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** A blocking SendMessage answers this long before the request's timeout would cut it. */
const BLOCKING_WAIT_MARGIN_MS = 2_000;

/**
 * The agent registry: its API under `/v1` (scopes `agents:read`, `agents:write`), the agents' A2A
 * cards in public under `/a2a/agents`, and the sweep of old `Idempotency-Key` replies. Each
 * active agent also answers A2A JSON-RPC at `/a2a/agents/{id}` (bearer token), its tasks run
 * durably by pg-boss workers on the service's database.
 */
export const agentOrchestratorModule = defineModule(
  agentOrchestrator,
  {
    title: 'AIA Agent Orchestrator',
    description:
      'Agent registry: agents with A2A cards, a hierarchy (no cycles, depth at most MAX_DELEGATION_DEPTH) and an AIA account each. Scopes: agents:read, agents:write.',
  },
  ({ config, stores: { db: sql }, clients, router, verify, llm, logger, registry }) => {
    const context = {
      sql,
      governor: clients['economic-governor'],
      maxDepth: config.MAX_DELEGATION_DEPTH,
      outbound: { allowPrivate: config.PUSH_ALLOW_PRIVATE_ADDRESSES },
      modelClasses: Object.keys(llm.info().classes).filter((name) => !isEmbeddingClass(name)),
    };
    const routes = router();
    addAgentRoutes(routes, context);
    addTaskTreeRoutes(routes, sql);
    const publicRoutes = agentCardRoutes(sql, config.A2A_PUBLIC_URL);
    const push = pushNotifications({
      sql,
      signingKey: config.SERVICE_SIGNING_KEY,
      allowPrivate: config.PUSH_ALLOW_PRIVATE_ADDRESSES,
      logger,
      registry,
    });
    if (push) publicRoutes.route('/', push.jwksRoute);
    // pg-boss keeps a `pg` pool of its own on the service's database: by DATABASE_URL, or through
    // the Cloud SQL connector as the same IAM user as the kit's pool.
    const database = pgPoolConfig(config);
    // Sized by the catalog, which the connection arithmetic counts (docs/connections.md).
    const poolMax = agentOrchestrator.database?.jobQueuePoolSize;
    const queue = database
      ? new RunQueue({ database, ...(poolMax === undefined ? {} : { poolMax }) })
      : undefined;
    const lifecycle = queue && new TaskLifecycle(sql, queue);
    if (lifecycle) {
      publicRoutes.route(
        '/',
        agentA2aRoutes({
          sql,
          lifecycle,
          deadlineSeconds: config.TASK_DEADLINE_SECONDS,
          verify,
          publicUrl: config.A2A_PUBLIC_URL,
          waitMs: Math.max(1_000, config.REQUEST_TIMEOUT_MS - BLOCKING_WAIT_MARGIN_MS),
          push: push?.settings,
        }),
      );
    }
    const metrics = createRunMetrics(registry, () =>
      queue ? queue.counts() : Promise.resolve({ queued: 0, active: 0, deferred: 0 }),
    );
    const runs = logger.child({ component: 'agent-runs' });
    return {
      routes,
      publicRoutes,
      workers: [
        idempotencyKeySweeper({ sql, ttlHours: IDEMPOTENCY_KEY_TTL_HOURS }),
        ...(push ? [push.worker] : []),
        ...(lifecycle
          ? [
              deadlineWorker({ lifecycle, failed: () => metrics.finished('failed') }),
              settlementReconciler({
                deps: { sql, lifecycle, llm, governor: context.governor, logger: runs },
              }),
            ]
          : []),
      ],
      ...(queue &&
        lifecycle && {
          start: async () => {
            await queue.start((error) => runs.error({ err: error }, 'agent run queue error'));
            await queue.work((held) =>
              metrics.attempt(held, () =>
                runTask(
                  {
                    sql,
                    lifecycle,
                    governor: context.governor,
                    maxDepth: config.MAX_DELEGATION_DEPTH,
                    runtimes: {
                      llm,
                      governor: context.governor,
                      outbound: context.outbound,
                      dkg: clients['dkg-manager'],
                      ventureDiscovery: clients['venture-discovery'],
                      platform: {
                        // Agents on this platform: called with the service's token, their cost trusted.
                        origins: [
                          config.A2A_PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`,
                          `http://localhost:${config.PORT}`,
                        ],
                        tokens: serviceTokens({
                          service: 'agent-orchestrator',
                          signingKey: config.SERVICE_SIGNING_KEY,
                          issuer: config.JWT_ISSUER,
                        }),
                      },
                    },
                    logger: runs,
                    finished: metrics.finished,
                  },
                  held,
                ),
              ),
            );
          },
          stop: () => queue.stop(),
        }),
    };
  },
);
