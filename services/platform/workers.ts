import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from './db.js';
import type { ReadinessCheck } from './health.js';
import { inTransaction } from './transactions.js';

/** What one run of a worker reports: `more` runs it again at once (a full batch was handled). */
export type RunResult = 'idle' | 'more' | undefined;

interface WorkerBase {
  /** Names the worker in logs, metrics and `/readyz` (`worker:<name>`). */
  readonly name: string;
  /** Pause between runs. */
  readonly intervalMs: number;
  /** Consecutive failed runs after which `/readyz` reports the worker `degraded`. Default 3. */
  readonly failuresBeforeDegraded?: number;
}

/** Runs on every replica. */
export interface PeriodicWorker extends WorkerBase {
  readonly run: (signal: AbortSignal) => Promise<RunResult>;
}

/**
 * Runs on one replica at a time: each run is a transaction that first takes the advisory lock
 * `lock` (without waiting); replicas that do not get it skip that run. The work commits with it.
 */
export interface LeaderWorker extends WorkerBase {
  readonly leader: { readonly sql: Database; readonly lock: string };
  readonly run: (tx: Database, signal: AbortSignal) => Promise<RunResult>;
}

export type WorkerSpec = PeriodicWorker | LeaderWorker;

/** The background work of a service: started after its start-up work, stopped before its clients close. */
export interface Workers {
  /** Registers a worker; it starts with the others. */
  add(spec: WorkerSpec): void;
  /** One optional readiness check per worker, failing after repeated failed runs. */
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  start(): void;
  /** Lets a running run finish (its signal is aborted), then returns. */
  stop(): Promise<void>;
}

const isLeader = (spec: WorkerSpec): spec is LeaderWorker => 'leader' in spec;

/** Takes `lock` for this transaction if no other session holds it. */
export async function tryLeadership(tx: Database, lock: string): Promise<boolean> {
  const [row] = await tx<{ acquired: boolean }[]>`
    select pg_try_advisory_xact_lock(hashtextextended(${lock}, 0)) as acquired`;
  return row?.acquired === true;
}

/**
 * The kit's one helper for background work: periodic runs, leader-only runs across replicas,
 * logging, metrics (`background_worker_runs_total{worker,outcome}`,
 * `background_worker_last_success_seconds{worker}`), health in `/readyz`, and a clean stop.
 */
export function createWorkers({
  logger,
  registry,
}: {
  logger: Logger;
  registry: Registry;
}): Workers {
  const runs = new Counter({
    name: 'background_worker_runs_total',
    help: 'Runs of background workers by outcome: done, skipped (another replica leads) or failed',
    labelNames: ['worker', 'outcome'],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'background_worker_last_success_seconds',
    help: 'Unix time of the last successful run of each background worker',
    labelNames: ['worker'],
    registers: [registry],
  });
  const specs: WorkerSpec[] = [];
  const failures = new Map<string, { count: number; error?: string }>();
  const readiness: Record<string, ReadinessCheck> = {};
  const controller = new AbortController();
  const loops: Promise<void>[] = [];
  let started = false;

  const runOnce = async (spec: WorkerSpec): Promise<RunResult | 'skipped'> => {
    if (!isLeader(spec)) return spec.run(controller.signal);
    return inTransaction(spec.leader.sql, async (tx) =>
      (await tryLeadership(tx, spec.leader.lock)) ? spec.run(tx, controller.signal) : 'skipped',
    );
  };

  const loop = async (spec: WorkerSpec) => {
    const log = logger.child({ worker: spec.name });
    while (!controller.signal.aborted) {
      let result: RunResult | 'skipped';
      try {
        result = await runOnce(spec);
        runs.inc({ worker: spec.name, outcome: result === 'skipped' ? 'skipped' : 'done' });
        if (result !== 'skipped') lastSuccess.set({ worker: spec.name }, Date.now() / 1000);
        failures.set(spec.name, { count: 0 });
      } catch (error) {
        result = 'idle';
        runs.inc({ worker: spec.name, outcome: 'failed' });
        const count = (failures.get(spec.name)?.count ?? 0) + 1;
        failures.set(spec.name, { count, error: (error as Error).message });
        log.error({ err: error, consecutiveFailures: count }, 'background run failed; retrying');
      }
      if (result === 'more') continue;
      await sleep(spec.intervalMs, controller.signal);
    }
  };

  return {
    add(spec) {
      if (started) throw new Error(`worker ${spec.name} added after the workers started`);
      if (specs.some((known) => known.name === spec.name))
        throw new Error(`two workers are named ${spec.name}`);
      specs.push(spec);
      runs.inc({ worker: spec.name, outcome: 'done' }, 0);
      runs.inc({ worker: spec.name, outcome: 'failed' }, 0);
      readiness[`worker:${spec.name}`] = async () => {
        const state = failures.get(spec.name);
        const limit = spec.failuresBeforeDegraded ?? 3;
        if (state && state.count >= limit)
          throw new Error(`${state.count} consecutive failed runs`);
      };
    },
    readiness,
    start() {
      if (started) return;
      started = true;
      for (const spec of specs) loops.push(loop(spec));
    },
    async stop() {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
