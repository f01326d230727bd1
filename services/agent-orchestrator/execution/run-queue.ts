import { type JobWithMetadata, PgBoss } from 'pg-boss';
import type { Database } from '../../platform/db.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import { type PgPoolConfig, pgUrlConfig } from '../../platform/pg-pool-config.js';

/** The pg-boss queue of agent runs: one job per A2A task, its id the task's id. */
export const RUN_QUEUE = 'agent-runs';

/**
 * What a task's jobs do: `run` its agent's runtime (or plan its delegation), `combine` the
 * children's answers once the last child ended, `settle` a child's budget reservation in the
 * ledger, `cascade` a cancel or failure to the unfinished children, `release` the reservations of
 * a plan whose children were never recorded.
 */
export type RunStep = 'run' | 'combine' | 'settle' | 'cascade' | 'release' | 'cancel-remote';

/** What a job carries: the task is read from `a2a_tasks`, so only its id and the step. */
export interface RunJob {
  readonly taskId: string;
  /** Absent: `run` (jobs enqueued before delegation existed). */
  readonly step?: RunStep;
  /** Which round of the task the job is for (absent: 0): a run of an older round does nothing. */
  readonly round?: number;
}

/** The agent a run or combine step works for: its runs share its `limits.concurrency`. */
export interface RunAgent {
  readonly id: string;
  readonly concurrency: number;
}

/** 31 days: longer than any task's deadline. */
const JOB_RETENTION_SECONDS = 31 * 24 * 60 * 60;

/** The most runs of one agent at once (the registry's bound on `limits.concurrency`). */
const MAX_AGENT_CONCURRENCY = 1_000;

/** pg-boss group tiers: a job of tier "n" runs only while fewer than n of its group do. */
const CONCURRENCY_TIERS = Object.fromEntries(
  Array.from({ length: MAX_AGENT_CONCURRENCY }, (_, index) => [String(index + 1), index + 1]),
);

/** Steps that settle the books and end subtrees: they must not give up after three attempts. */
const BOOKKEEPING: ReadonlySet<RunStep> = new Set([
  'settle',
  'cascade',
  'release',
  'cancel-remote',
]);
const BOOKKEEPING_RETRY_LIMIT = 30;

/**
 * A job's id: the task's for its first run, derived from it for the other steps (one job per
 * step) and for the run of each round after the task asked its sender (round 1, 2, ...).
 */
export const jobIdOf = (taskId: string, step: RunStep = 'run', round = 0): string =>
  step === 'run' && round === 0
    ? taskId
    : nameBasedUuid(round === 0 ? `${step}:${taskId}` : `${step}:${taskId}:${round}`);

/**
 * Where pg-boss keeps its own `pg` pool: the service's database, as a `DATABASE_URL` (tests) or
 * as `pgPoolConfig` (services/platform/pg-pool-config.ts) read the service's configuration.
 */
export type RunQueueDatabase =
  | { readonly connectionString: string }
  | {
      /** Opened when the queue starts, closed (its connector stopped) when it stops. */
      readonly database: PgPoolConfig;
    };

/** How the queue runs; every field has a default. */
export interface RunQueueSettings {
  /** Connections of pg-boss's pool. Default 4. */
  readonly poolMax?: number;
  /**
   * Seconds without a heartbeat after which a running job is taken from its worker and retried
   * (a worker that died). At least 10 (pg-boss's floor); `null` turns heartbeats off, leaving
   * only `expireInSeconds` (tests use that to recover in seconds). Default 30.
   */
  readonly heartbeatSeconds?: number | null;
  /** One attempt's deadline: a run still going after it is taken back and retried. Default 900. */
  readonly expireInSeconds?: number;
  /** Attempts after the first one. Default 2. */
  readonly retryLimit?: number;
  /** Seconds before the first retry, doubled each time (at most 5 minutes). Default 5. */
  readonly retryDelaySeconds?: number;
  /** How often the supervisor looks for dead and expired jobs. Default 15. */
  readonly superviseIntervalSeconds?: number;
  /** How often an idle worker polls (a send also wakes it through LISTEN/NOTIFY). Default 2. */
  readonly pollingIntervalSeconds?: number;
  /** Runs at once on this replica. Default 4. */
  readonly localConcurrency?: number;
}

export type RunQueueOptions = RunQueueDatabase & RunQueueSettings;

/** A run as a worker holds it: the task, the attempt, and the signal a cancel or lost lease aborts. */
export interface HeldRun {
  readonly taskId: string;
  readonly step: RunStep;
  /** The round the job was sent for: 0, or n after the task was resumed n times. */
  readonly round: number;
  /** 0 for the first attempt. */
  readonly attempt: number;
  /** Whether this is the last attempt (a failure now is final). */
  readonly last: boolean;
  readonly signal: AbortSignal;
}

/** The longest wait between two attempts of a run, however many came before. */
const MAX_RETRY_DELAY_SECONDS = 5 * 60;

/**
 * pg-boss on the service's database. Jobs are enqueued inside the caller's postgres.js
 * transaction (through a three-line adapter) so a task row and its job commit together; pg-boss
 * itself (schema migration, workers, supervisor) runs on its own `pg` pool, because its start-up
 * scripts are multi-statement transactions postgres.js refuses. That pool reaches the database
 * the way the kit's does: by URL, or through the Cloud SQL connector with IAM login.
 */
export class RunQueue {
  readonly boss: PgBoss;
  private readonly options: Required<Omit<RunQueueSettings, 'poolMax'>>;
  private readonly database: PgPoolConfig;
  private started = false;

  constructor(options: RunQueueOptions) {
    const {
      poolMax = 4,
      heartbeatSeconds = 30,
      expireInSeconds = 900,
      retryLimit = 2,
      retryDelaySeconds = 5,
      superviseIntervalSeconds = 15,
      pollingIntervalSeconds = 2,
      localConcurrency = 4,
    } = options;
    this.options = {
      heartbeatSeconds,
      expireInSeconds,
      retryLimit,
      retryDelaySeconds,
      superviseIntervalSeconds,
      pollingIntervalSeconds,
      localConcurrency,
    };
    this.database =
      'database' in options ? options.database : pgUrlConfig(options.connectionString);
    this.boss = new PgBoss({
      ...this.database.connection,
      max: poolMax,
      application_name: 'agent-orchestrator-runs',
      superviseIntervalSeconds: this.options.superviseIntervalSeconds,
      // Expiry and heartbeat failures are found in the monitor pass (default every 60 s).
      monitorIntervalSeconds: this.options.superviseIntervalSeconds,
      queueCacheIntervalSeconds: this.options.superviseIntervalSeconds,
      useListenNotify: true,
    });
  }

  /**
   * Opens the way to the database (starts the Cloud SQL connector), migrates pg-boss's schema
   * (`pgboss`) and makes the queue; idempotent across replicas.
   */
  async start(onError: (error: Error) => void): Promise<void> {
    await this.database.open();
    this.boss.on('error', onError);
    await this.boss.start();
    this.started = true;
    const { heartbeatSeconds, expireInSeconds, retryLimit, retryDelaySeconds } = this.options;
    const queue = {
      retryLimit,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: MAX_RETRY_DELAY_SECONDS,
      expireInSeconds,
      notify: true,
      // A job waits as long as a task may live (TASK_DEADLINE_SECONDS is at most 30 days), and
      // a finished one's id stays taken as long: a step is never sent again and run twice.
      retentionSeconds: JOB_RETENTION_SECONDS,
      deleteAfterSeconds: JOB_RETENTION_SECONDS,
      ...(heartbeatSeconds === null ? {} : { heartbeatSeconds }),
    };
    // Made once; a replica started with other settings keeps the queue's first ones.
    if (!(await this.boss.getQueue(RUN_QUEUE))) await this.boss.createQueue(RUN_QUEUE, queue);
  }

  /**
   * Enqueues the run of `taskId` in `tx` (the task row's transaction): the job's id is the
   * task's, so enqueueing it again does nothing.
   */
  async enqueue(
    tx: Database,
    taskId: string,
    step: RunStep = 'run',
    agent?: RunAgent,
    round = 0,
  ): Promise<void> {
    await this.boss.send(RUN_QUEUE, { taskId, step, round } satisfies RunJob, {
      id: jobIdOf(taskId, step, round),
      db: viaPostgresJs(tx),
      // An agent's work counts against its concurrency, on every replica together.
      ...(agent && { group: { id: agent.id, tier: String(agent.concurrency) } }),
      // The ledger's answer must come eventually: bookkeeping steps retry for about two hours.
      ...(BOOKKEEPING.has(step) && { retryLimit: BOOKKEEPING_RETRY_LIMIT }),
    });
  }

  /**
   * Cancels the task's run jobs (of every round up to `rounds.run`) and combine jobs (of every
   * round up to `rounds.combine`) wherever they are: queued, they never start; running, their
   * signal aborts (seen by the worker at its next heartbeat).
   */
  async cancel(taskId: string, rounds: { run?: number; combine?: number } = {}): Promise<void> {
    const upTo = (last: number) => Array.from({ length: last + 1 }, (_, round) => round);
    await this.boss.cancel(RUN_QUEUE, [
      ...upTo(rounds.run ?? 0).map((round) => jobIdOf(taskId, 'run', round)),
      ...upTo(rounds.combine ?? 0).map((round) => jobIdOf(taskId, 'combine', round)),
    ]);
  }

  /** Jobs waiting or running, for the queue depth gauge. */
  async depth(): Promise<number> {
    const { queued, active } = await this.counts();
    return queued + active;
  }

  /**
   * Jobs by state, as pg-boss's monitor last counted them: queued (ready), active (leased to a
   * worker), deferred (waiting for a retry's backoff or a start time).
   */
  async counts(): Promise<{ queued: number; active: number; deferred: number }> {
    const queue = await this.boss.getQueue(RUN_QUEUE);
    return {
      queued: queue?.queuedCount ?? 0,
      active: queue?.activeCount ?? 0,
      deferred: queue?.deferredCount ?? 0,
    };
  }

  /** Starts this replica's workers; a throw fails the attempt and pg-boss retries it. */
  async work(run: (held: HeldRun) => Promise<void>): Promise<void> {
    const { pollingIntervalSeconds, localConcurrency } = this.options;
    await this.boss.work(
      RUN_QUEUE,
      // A retried job wakes no one (no NOTIFY): poll as often as without LISTEN/NOTIFY (whose
      // default backstop poll is 30 s), so a retry or a dead worker's job starts on time.
      {
        batchSize: 1,
        localConcurrency,
        pollingIntervalSeconds,
        notifyPollingIntervalSeconds: pollingIntervalSeconds,
        // A backlog (as pg-boss's stats last saw it) is fetched without waiting between jobs:
        // after a burst of sends, a worker would otherwise take one job per polling interval.
        burstWhenReadyExceeds: 1,
        // The job's own retry limit (the queue's when it was sent) says which attempt is last.
        includeMetadata: true,
        // At most an agent's `limits.concurrency` of its runs at once, across replicas.
        groupConcurrency: { default: 1, tiers: CONCURRENCY_TIERS },
      },
      async ([job]: JobWithMetadata<RunJob>[]) => {
        if (!job) return;
        await run({
          taskId: job.data.taskId,
          step: job.data.step ?? 'run',
          round: job.data.round ?? 0,
          attempt: job.retryCount,
          last: job.retryCount >= job.retryLimit,
          signal: job.signal,
        });
      },
    );
  }

  /**
   * Stops the workers, closes the pool, then stops the Cloud SQL connector if there is one (also
   * when the queue never started). `graceful: false` leaves running jobs active for another
   * replica to take back after their heartbeat or expiry (a crash, in tests).
   */
  async stop({ graceful = true, timeoutMs = 10_000 } = {}): Promise<void> {
    try {
      if (!this.started) return;
      this.started = false;
      await this.boss.stop({ graceful, timeout: timeoutMs, close: true });
    } finally {
      this.database.close();
    }
  }
}

/** pg-boss's `db` option over a postgres.js transaction: its send joins that transaction. */
const viaPostgresJs = (tx: Database) => ({
  executeSql: async (text: string, values?: unknown[]) => ({
    rows: await tx.unsafe(text, (values ?? []) as never[]),
  }),
});
