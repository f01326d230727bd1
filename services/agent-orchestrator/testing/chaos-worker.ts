/**
 * One worker replica of the agent orchestrator for the chaos test (execution/chaos.test.ts), run
 * as a process of its own (`node --import tsx`) so that a SIGKILL takes it down mid-job: a run
 * queue (CHAOS_QUEUE) whose workers run `runTask` with the real dependencies — the task
 * lifecycle, the LLM layer as the module builds it (the local model, priced CHAOS_PRICE_AIA a
 * call) and the governor's client with the orchestrator's service identity.
 *
 * Reads CHAOS_DATABASE_URL (the orchestrator's database, migrated), CHAOS_GOVERNOR_URL,
 * CHAOS_SERVICE_SIGNING_KEY (the orchestrator's key the governor trusts) and
 * CHAOS_JWT_PUBLIC_KEYS. Prints {@link ChaosWorkerLine}s on stdout: `ready`, then each
 * attempt's start and end, so the test knows which jobs this process holds.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { serviceDefinition } from '../../catalog.js';
import { createServiceClients } from '../../clients.js';
import { loadConfig } from '../../platform/config.js';
import { createDatabase } from '../../platform/db.js';
import { llmOf } from '../../platform/llm/service-llm.js';
import { RunQueue } from '../execution/run-queue.js';
import { runTask } from '../execution/run-task.js';
import { TaskLifecycle } from '../execution/task-lifecycle.js';
import { CHAOS_PRICE_AIA, CHAOS_QUEUE, type ChaosWorkerLine } from './chaos-settings.js';
import { pricedLlm } from './priced-llm.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name}: required by the chaos worker`);
  return value;
};

const say = (line: ChaosWorkerLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

const databaseUrl = required('CHAOS_DATABASE_URL');
const definition = serviceDefinition('agent-orchestrator');
const config = loadConfig('agent-orchestrator', definition.env, {
  ENVIRONMENT: 'test',
  PORT: String(definition.port),
  DATABASE_URL: databaseUrl,
  ECONOMIC_GOVERNOR_URL: required('CHAOS_GOVERNOR_URL'),
  SERVICE_SIGNING_KEY: required('CHAOS_SERVICE_SIGNING_KEY'),
  JWT_PUBLIC_KEYS: required('CHAOS_JWT_PUBLIC_KEYS'),
  ENCRYPTION_KEY: 'e'.repeat(32),
});
// Warnings and errors only, to stderr: the test shows them when something goes wrong.
const logger = pino({ level: 'warn' }, pino.destination(2));
const llm = llmOf(definition, config, logger, new Registry());
if (!llm) throw new Error('the agent orchestrator has no LLM layer');
const governor = createServiceClients({ service: 'agent-orchestrator', config })[
  'economic-governor'
];
const sql = createDatabase({ url: databaseUrl, applicationName: 'chaos-worker', max: 6 });
const queue = new RunQueue({ connectionString: databaseUrl, ...CHAOS_QUEUE });
const lifecycle = new TaskLifecycle(sql, queue);
const deps = {
  sql,
  lifecycle,
  maxDepth: 4,
  governor,
  runtimes: {
    llm: pricedLlm(llm, CHAOS_PRICE_AIA),
    governor,
    outbound: { allowPrivate: false },
  },
  logger,
  finished: () => {},
};

await queue.start((error) => logger.error({ err: error }, 'run queue error'));
await queue.work(async (held) => {
  const job = { step: held.step, taskId: held.taskId, attempt: held.attempt };
  say({ job: 'start', ...job });
  try {
    await runTask(deps, held);
    say({ job: 'end', ...job });
  } catch (error) {
    say({ job: 'end', ...job, error: (error as Error).message });
    throw error;
  }
});
say({ ready: true, pid: process.pid });

// A graceful stop for the end of the test; the chaos is the SIGKILL, which nothing can catch.
process.once('SIGTERM', async () => {
  await queue.stop({ timeoutMs: 2_000 });
  await sql.end({ timeout: 2 });
  process.exit(0);
});
