import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { startPostgres } from '../tools/local-servers/index.js';
import { type CpuSnapshot, cpuShare, cpuSnapshot } from './ledger/cpu-usage.js';
import { Teardown } from './ledger/teardown.js';
import { runA2aTask, type WaitMode } from './orchestrator/a2a-tasks.js';
import {
  pathFigures,
  type RunFigures,
  runFigures,
  throughputRatio,
} from './orchestrator/figures.js';
import { readJobTimings, readTaskCompletions } from './orchestrator/job-timings.js';
import { startOrchestratorStack } from './orchestrator/orchestrator-stack.js';
import { nudgeWorkers } from './orchestrator/queue-nudge.js';
import { startQueueReference } from './orchestrator/queue-reference.js';
import { type QueueCount, sampleQueue, summarizeQueue } from './orchestrator/queue-sampler.js';
import {
  type ConcurrencyResult,
  formatReport,
  type OrchestratorBenchResult,
  PATHS,
  type PathName,
} from './orchestrator/report.js';
import { runTaskLoop, type TaskRecord } from './orchestrator/task-loop.js';

const CLIENTS = [16, 64] as const;
const WARMUP_MS = 1500;
/** The orchestrator's DATABASE_POOL_MAX (the kit's default), and the reference senders' pool. */
const POOL_MAX = 10;
/**
 * The echo agent's `limits.concurrency` (the registry's default is 1: one run at a time), and the
 * reference jobs' group limit: as many as the most clients, so no task waits for its agent's limit
 * and the benchmark measures the machinery, the group check in every fetch included.
 */
const AGENT_CONCURRENCY = 64;
/** GetTask's interval in the polling path: a client that asks 20 times a second. */
const GET_TASK_POLL_MS = 50;

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

function secondsFromEnv(): number {
  const value = process.env.BENCH_SECONDS ?? '3';
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new Error(`BENCH_SECONDS must be a whole number of seconds ≥ 1, not '${value}'`);
  }
  return seconds;
}

/**
 * `npm run bench -- orchestrator [rounds]`: tasks per second from submit to completed for the
 * echo tool agent (a no-op) at 16 and 64 clients, and the scheduling delay (job created →
 * started), against bare pg-boss with the orchestrator's queue settings and a no-op worker, on
 * one durable PostgreSQL in the same run. Each round runs, at each concurrency, the reference,
 * then the orchestrator with blocking SendMessages, then with SendMessage + GetTask polling, each
 * for `BENCH_SECONDS` (default 3) after 1.5 s of warm-up; medians over the rounds (default 3), the
 * ratio being the median of each round's ratio. Writes `bench/results/orchestrator.json`.
 */
export async function benchOrchestrator(rounds = 3): Promise<void> {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`rounds must be a whole number ≥ 1, not '${rounds}'`);
  const root = resolve(import.meta.dirname, '..');
  const seconds = secondsFromEnv();
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const result = await measure(root, seconds, rounds, teardown);
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'orchestrator.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await teardown.run();
    removeHandlers();
  }
}

async function measure(
  root: string,
  seconds: number,
  rounds: number,
  teardown: Teardown,
): Promise<OrchestratorBenchResult> {
  const { signal } = teardown;
  const workDir = await mkdtemp(join(tmpdir(), 'orchestrator-bench-'));
  teardown.add('remove the temporary directory', () =>
    rm(workDir, { recursive: true, force: true }),
  );
  // mkdtemp makes it 0700; when root, PostgreSQL runs as `postgres` and must enter it.
  await chmod(workDir, 0o711);

  progress('starting PostgreSQL (durable: fsync and synchronous_commit on)');
  const server = await startPostgres({
    dataDir: join(workDir, 'pgdata'),
    persistent: true,
    onProgress: progress,
  });
  teardown.add('stop PostgreSQL', () => server.stop());
  const urlOf = (database: string): string => {
    const url = new URL(server.adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  teardown.add('close the admin connection', () => admin.end({ timeout: 5 }));
  for (const database of ['ledger', 'orchestrator', 'reference'])
    await admin.unsafe(`create database ${database}`);
  const [version] = await admin<{ server_version: string }[]>`show server_version`;

  const stack = await startOrchestratorStack({
    root,
    orchestratorDatabaseUrl: urlOf('orchestrator'),
    ledgerDatabaseUrl: urlOf('ledger'),
    poolMax: POOL_MAX,
    agentConcurrency: AGENT_CONCURRENCY,
    teardown,
    onProgress: progress,
  });
  progress('starting the reference: pg-boss with the orchestrator queue settings');
  const reference = await startQueueReference({
    databaseUrl: urlOf('reference'),
    poolMax: POOL_MAX,
    groupConcurrency: AGENT_CONCURRENCY,
    onError: (error) => progress(`reference pg-boss error: ${error.message}`),
  });
  teardown.add('stop the reference queue', () => reference.stop());
  const readers = {
    orchestrator: postgres(urlOf('orchestrator'), { max: 1, onnotice: () => {} }),
    reference: postgres(urlOf('reference'), { max: 1, onnotice: () => {} }),
  };
  teardown.add('close the timing readers', async () => {
    await readers.orchestrator.end({ timeout: 5 });
    await readers.reference.end({ timeout: 5 });
  });

  const postmasterPid = Number(
    (await readFile(join(server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  const orchestratorPids = stack.orchestrator.pid === undefined ? [] : [stack.orchestrator.pid];

  /** One closed-loop run of `path` with its figures, the CPU measured over its window. */
  const runPath = async (path: PathName, clients: number): Promise<RunFigures> => {
    const http = new Agent({ keepAlive: true, maxSockets: clients });
    const pids = path === 'reference' ? undefined : orchestratorPids;
    const reader = path === 'reference' ? readers.reference : readers.orchestrator;
    let before: CpuSnapshot | undefined;
    let after: CpuSnapshot | undefined;
    let nudge: { stop(): Promise<void> } | undefined;
    let sampler: ReturnType<typeof sampleQueue> | undefined;
    let sampled: Promise<QueueCount[]> | undefined;
    const target = {
      origin: stack.orchestrator.origin,
      agentId: stack.echoAgentId,
      token: stack.token,
      agent: http,
    };
    const modes: Record<Exclude<PathName, 'reference'>, WaitMode> = {
      blocking: { kind: 'blocking', pollMs: GET_TASK_POLL_MS },
      polling: { kind: 'polling', pollMs: GET_TASK_POLL_MS },
    };
    const runOne = (): Promise<TaskRecord> =>
      path === 'reference' ? reference.runOne() : runA2aTask(target, modes[path]);
    try {
      const loop = await runTaskLoop({
        clients,
        warmupMs: WARMUP_MS,
        durationMs: seconds * 1000,
        runOne,
        signal,
        onWindowStart: () => {
          before = cpuSnapshot(postmasterPid, pids);
          sampler = sampleQueue(reader);
        },
        onWindowEnd: () => {
          after = cpuSnapshot(postmasterPid, pids);
          sampled = sampler?.stop();
          nudge = nudgeWorkers(reader);
        },
      });
      await nudge?.stop();
      const counts = (await sampled) ?? [];
      const cpu = cpuShare(before, after);
      const ids = loop.records.map((record) => record.jobId);
      const jobs = await readJobTimings(reader, ids);
      const finished = path === 'reference' ? undefined : await readTaskCompletions(reader, ids);
      return runFigures(loop, {
        jobs,
        ...(finished ? { finishedAt: finished } : {}),
        ...(counts.length > 0 ? { queue: summarizeQueue(counts) } : {}),
        ...(cpu ? { cpu } : {}),
      });
    } catch (error) {
      const output = stack.orchestrator.recentOutput();
      if (path !== 'reference' && output && !signal.aborted)
        progress(`agent-orchestrator's last output:\n${output}`);
      throw error;
    } finally {
      await nudge?.stop();
      await sampler?.stop().catch(() => []);
      http.destroy();
    }
  };

  const runs = new Map<string, RunFigures[]>();
  const key = (path: PathName, clients: number) => `${path}/${clients}`;
  for (let round = 1; round <= rounds; round++) {
    for (const clients of CLIENTS) {
      for (const path of Object.keys(PATHS) as PathName[]) {
        // A checkpoint before each run, so none pays for the dirty pages another left.
        await admin`checkpoint`;
        progress(`round ${round}: ${PATHS[path]}, ${clients} clients, ${seconds} s`);
        const figures = await runPath(path, clients);
        progress(
          `  ${figures.perSecond} tasks/s, latency p50 ${figures.latencyP50Ms} ms, scheduling p50 ${figures.schedulingP50Ms} / p99 ${figures.schedulingP99Ms} ms, ${figures.errors} errors`,
        );
        if (figures.firstError) progress(`  first error: ${figures.firstError}`);
        runs.set(key(path, clients), [...(runs.get(key(path, clients)) ?? []), figures]);
      }
    }
  }

  const concurrency: ConcurrencyResult[] = CLIENTS.map((clients) => {
    const of = (path: PathName) => runs.get(key(path, clients)) ?? [];
    return {
      clients,
      paths: {
        reference: pathFigures(of('reference')),
        blocking: pathFigures(of('blocking')),
        polling: pathFigures(of('polling')),
      },
      ratios: {
        blocking: throughputRatio(of('blocking'), of('reference')),
        polling: throughputRatio(of('polling'), of('reference')),
      },
    };
  });
  return {
    benchmark: 'orchestrator',
    measuredAt: new Date().toISOString(),
    settings: {
      rounds,
      seconds,
      warmupSeconds: WARMUP_MS / 1000,
      clients: CLIENTS,
      getTaskPollMs: GET_TASK_POLL_MS,
      databasePoolMax: POOL_MAX,
      agentConcurrency: AGENT_CONCURRENCY,
      postgresVersion: version?.server_version ?? 'unknown',
      cpus: availableParallelism(),
      node: process.version,
    },
    concurrency,
  };
}
