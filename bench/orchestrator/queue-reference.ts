import { randomUUID } from 'node:crypto';
import { RunQueue } from '../../services/agent-orchestrator/execution/run-queue.js';
import { createDatabase, type Database } from '../../services/platform/db.js';
import { epochMs, type TaskRecord } from './task-loop.js';

/** The group of every reference job, as an agent's id is the group of its runs. */
const REFERENCE_GROUP = '00000000-0000-4000-8000-000000000000';

/** A job not started within this long fails its client: the queue is stuck, not slow. */
const JOB_TIMEOUT_MS = 30_000;

/** Options of {@link startQueueReference}. */
export interface QueueReferenceOptions {
  /** A database of its own on the benchmark's PostgreSQL (pg-boss makes its schema there). */
  readonly databaseUrl: string;
  /** The senders' postgres.js pool: the size of the orchestrator's (its DATABASE_POOL_MAX). */
  readonly poolMax: number;
  /**
   * The jobs' group limit, as the orchestrator sends an agent's runs (its id as pg-boss's group,
   * its `limits.concurrency` as the tier): the same per-fetch group check on both sides.
   */
  readonly groupConcurrency: number;
  readonly onError: (error: Error) => void;
}

/** Bare pg-boss, sending jobs and waiting for a worker that does nothing to take them. */
export interface QueueReference {
  /** Sends one job and resolves once the worker ran it. */
  runOne(): Promise<TaskRecord>;
  stop(): Promise<void>;
}

/**
 * The reference the orchestrator is measured against: pg-boss as the orchestrator's
 * `RunQueue` configures it (the same class, so the same queue policy, pool, LISTEN/NOTIFY,
 * polling interval and local concurrency, with none of them copied here), on a database of its
 * own on the same PostgreSQL, with a worker that does nothing. Jobs are sent as the orchestrator
 * sends them (`RunQueue.enqueue`, pg-boss's `send` through postgres.js, in one group as an agent's
 * runs are) but outside any other statement: what remains is the queue library's own cost.
 */
export async function startQueueReference(options: QueueReferenceOptions): Promise<QueueReference> {
  const senders: Database = createDatabase({
    url: options.databaseUrl,
    applicationName: 'orchestrator-bench-reference',
    max: options.poolMax,
  });
  const queue = new RunQueue({ connectionString: options.databaseUrl });
  const waiting = new Map<string, () => void>();
  const group = { id: REFERENCE_GROUP, concurrency: options.groupConcurrency };
  try {
    await queue.start(options.onError);
    await queue.work(async ({ taskId }) => {
      waiting.get(taskId)?.();
    });
  } catch (error) {
    await queue.stop();
    await senders.end();
    throw error;
  }

  const runOne = async (): Promise<TaskRecord> => {
    const jobId = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const ran = new Promise<number>((resolve, reject) => {
      waiting.set(jobId, () => resolve(epochMs()));
      timer = setTimeout(
        () => reject(new Error(`job ${jobId} did not run within ${JOB_TIMEOUT_MS} ms`)),
        JOB_TIMEOUT_MS,
      );
    });
    try {
      const sentAt = epochMs();
      await queue.enqueue(senders, jobId, 'run', group);
      return { jobId, sentAt, doneAt: await ran };
    } finally {
      clearTimeout(timer);
      waiting.delete(jobId);
    }
  };

  return {
    runOne,
    stop: async () => {
      try {
        await queue.stop();
      } finally {
        await senders.end({ timeout: 5 });
      }
    },
  };
}
