import type { CpuShare } from '../ledger/cpu-usage.js';
import { medianCpu } from '../ledger/figures.js';
import { median, percentile, round } from '../ledger/percentiles.js';
import type { JobTiming } from './job-timings.js';
import type { QueueSample } from './queue-sampler.js';
import type { TaskLoopResult } from './task-loop.js';

/**
 * Where a task's time went, median milliseconds per segment; the segments follow each other, so
 * per task they add up to its submit-to-completed latency.
 */
export interface Breakdown {
  /** Client sends → the queue job's row is written (HTTP, authentication, the submit transaction). */
  readonly toQueueMs: number;
  /** Job written → a worker took it (`created_on` → `started_on`): the scheduling delay. */
  readonly queuedMs: number;
  /** Worker took it → the task was completed (the orchestrator's run; the reference's is empty). */
  readonly runMs: number;
  /** Task completed → its client learned so (the wait's or the client's polling). */
  readonly noticedMs: number;
  /**
   * Worker took it → pg-boss marked the job completed: how long the task held one of the worker's
   * `localConcurrency` slots, which bounds throughput at slots ÷ hold time.
   */
  readonly workerHoldMs: number;
}

/** One run of one path at one concurrency. */
export interface RunFigures {
  readonly clients: number;
  readonly seconds: number;
  /** Tasks sent and completed within the window. */
  readonly completed: number;
  readonly errors: number;
  /** Completed tasks per second of the window. */
  readonly perSecond: number;
  /** Submit → the client learned it completed. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Job created → started (pg-boss's own timestamps, one clock). */
  readonly schedulingP50Ms: number;
  readonly schedulingP99Ms: number;
  readonly breakdown: Breakdown;
  /** The queue sampled during the window. */
  readonly queue?: QueueSample;
  readonly cpu?: CpuShare;
  readonly firstError?: string;
}

/** What a run's figures are computed from besides its clients' records. */
export interface RunMeasurements {
  /** pg-boss's timings of the tasks' jobs. */
  readonly jobs: ReadonlyMap<string, JobTiming>;
  /**
   * When each task was completed (the orchestrator's `a2a_tasks.status_at`); absent for the
   * reference, whose client is told in process: its own `doneAt` is the completion.
   */
  readonly finishedAt?: ReadonlyMap<string, number>;
  readonly queue?: QueueSample;
  readonly cpu?: CpuShare;
}

/**
 * The figures of one closed-loop run from what its clients saw and what pg-boss recorded for
 * their jobs. Throws naming a task whose job or completion time is missing.
 */
export function runFigures(
  loop: TaskLoopResult,
  { jobs, finishedAt, queue, cpu }: RunMeasurements,
): RunFigures {
  const seconds = (loop.windowEnd - loop.windowStart) / 1000;
  const latency: number[] = [];
  const scheduling: number[] = [];
  const toQueue: number[] = [];
  const run: number[] = [];
  const noticed: number[] = [];
  const hold: number[] = [];
  for (const record of loop.records) {
    const job = jobs.get(record.jobId);
    if (!job) throw new Error(`task ${record.jobId}: its job's timing was not read`);
    const finished = finishedAt ? finishedAt.get(record.jobId) : record.doneAt;
    if (finished === undefined) throw new Error(`task ${record.jobId}: no completion time`);
    latency.push(record.doneAt - record.sentAt);
    scheduling.push(job.startedAt - job.createdAt);
    toQueue.push(job.createdAt - record.sentAt);
    run.push(finished - job.startedAt);
    noticed.push(record.doneAt - finished);
    hold.push(job.completedAt - job.startedAt);
  }
  const ascending = (values: number[]) => values.sort((a, b) => a - b);
  ascending(latency);
  ascending(scheduling);
  const ms = (value: number) => round(value, 2);
  return {
    clients: loop.clients,
    seconds,
    completed: loop.records.length,
    errors: loop.errors,
    perSecond: round(loop.records.length / seconds, 1),
    latencyP50Ms: ms(percentile(latency, 50)),
    latencyP99Ms: ms(percentile(latency, 99)),
    schedulingP50Ms: ms(percentile(scheduling, 50)),
    schedulingP99Ms: ms(percentile(scheduling, 99)),
    breakdown: {
      toQueueMs: ms(median(toQueue)),
      queuedMs: ms(median(scheduling)),
      runMs: ms(median(run)),
      noticedMs: ms(median(noticed)),
      workerHoldMs: ms(median(hold)),
    },
    ...(queue ? { queue } : {}),
    ...(cpu ? { cpu } : {}),
    ...(loop.firstError === undefined ? {} : { firstError: loop.firstError }),
  };
}

/** One path at one concurrency over the rounds: medians, and each round's throughput. */
export interface PathFigures extends Omit<RunFigures, 'seconds'> {
  readonly perSecondPerRound: readonly number[];
}

/** Medians over the rounds (errors summed; the first error of any round kept). */
export function pathFigures(rounds: readonly RunFigures[]): PathFigures {
  const of = (pick: (run: RunFigures) => number, digits = 2) =>
    round(median(rounds.map(pick)), digits);
  const cpu = medianCpu(rounds.map((run) => run.cpu));
  const queues = rounds.flatMap((run) => (run.queue ? [run.queue] : []));
  const ofQueue = (pick: (queue: QueueSample) => number) => round(median(queues.map(pick)), 2);
  const queue: QueueSample | undefined =
    queues.length === 0
      ? undefined
      : {
          samples: queues.reduce((sum, each) => sum + each.samples, 0),
          meanQueued: ofQueue((each) => each.meanQueued),
          meanRunning: ofQueue((each) => each.meanRunning),
        };
  const firstError = rounds.find((run) => run.firstError)?.firstError;
  return {
    clients: rounds[0]?.clients ?? 0,
    completed: rounds.reduce((sum, run) => sum + run.completed, 0),
    errors: rounds.reduce((sum, run) => sum + run.errors, 0),
    perSecond: of((run) => run.perSecond, 1),
    perSecondPerRound: rounds.map((run) => run.perSecond),
    latencyP50Ms: of((run) => run.latencyP50Ms),
    latencyP99Ms: of((run) => run.latencyP99Ms),
    schedulingP50Ms: of((run) => run.schedulingP50Ms),
    schedulingP99Ms: of((run) => run.schedulingP99Ms),
    breakdown: {
      toQueueMs: of((run) => run.breakdown.toQueueMs),
      queuedMs: of((run) => run.breakdown.queuedMs),
      runMs: of((run) => run.breakdown.runMs),
      noticedMs: of((run) => run.breakdown.noticedMs),
      workerHoldMs: of((run) => run.breakdown.workerHoldMs),
    },
    ...(queue ? { queue } : {}),
    ...(cpu ? { cpu } : {}),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** A path against the reference: the median over the rounds of each round's throughput ratio. */
export interface Ratio {
  readonly ratio: number;
  readonly ratioPerRound: readonly number[];
}

/**
 * `path`'s tasks/s ÷ the reference's jobs/s, round by round (the two runs of a round are seconds
 * apart, so a machine that gets busier or quieter shifts both), and the median of those ratios.
 * Throws when the two have different numbers of rounds.
 */
export function throughputRatio(
  path: readonly RunFigures[],
  reference: readonly RunFigures[],
): Ratio {
  if (path.length !== reference.length)
    throw new Error(`rounds: ${path.length} of the path against ${reference.length} references`);
  const ratios = path.map((run, i) => run.perSecond / (reference[i] as RunFigures).perSecond);
  return {
    ratio: round(median(ratios), 3),
    ratioPerRound: ratios.map((ratio) => round(ratio, 3)),
  };
}
