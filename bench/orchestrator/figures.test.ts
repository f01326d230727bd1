import { describe, expect, it } from 'vitest';
import { pathFigures, type RunFigures, runFigures, throughputRatio } from './figures.js';
import type { JobTiming } from './job-timings.js';
import { summarizeQueue } from './queue-sampler.js';
import type { TaskLoopResult, TaskRecord } from './task-loop.js';

const WINDOW_START = 1_000_000;

/** A task sent at `sentAt` ms into the window: its job created, started, done, seen as given. */
function task(
  id: string,
  at: {
    sent: number;
    created: number;
    started: number;
    finished: number;
    seen: number;
    jobDone: number;
  },
) {
  const record: TaskRecord = {
    jobId: id,
    sentAt: WINDOW_START + at.sent,
    doneAt: WINDOW_START + at.seen,
  };
  const job: JobTiming = {
    createdAt: WINDOW_START + at.created,
    startedAt: WINDOW_START + at.started,
    completedAt: WINDOW_START + at.jobDone,
  };
  return { record, job, finished: WINDOW_START + at.finished };
}

const loopOf = (records: TaskRecord[], seconds = 2, errors = 0): TaskLoopResult => ({
  clients: 16,
  windowStart: WINDOW_START,
  windowEnd: WINDOW_START + seconds * 1000,
  records,
  errors,
});

const run = (perSecond: number, extra: Partial<RunFigures> = {}): RunFigures => ({
  clients: 16,
  seconds: 4,
  completed: perSecond * 4,
  errors: 0,
  perSecond,
  latencyP50Ms: 10,
  latencyP99Ms: 20,
  schedulingP50Ms: 1,
  schedulingP99Ms: 2,
  breakdown: { toQueueMs: 1, queuedMs: 1, runMs: 1, noticedMs: 1, workerHoldMs: 1 },
  ...extra,
});

describe("the orchestrator benchmark's figures", () => {
  const tasks = [
    task('a', { sent: 0, created: 2, started: 5, finished: 9, seen: 30, jobDone: 11 }),
    task('b', { sent: 10, created: 13, started: 20, finished: 26, seen: 60, jobDone: 28 }),
    task('c', { sent: 20, created: 21, started: 100, finished: 101, seen: 120, jobDone: 104 }),
    task('d', { sent: 30, created: 34, started: 40, finished: 50, seen: 230, jobDone: 52 }),
  ];
  const jobs = new Map(tasks.map((t) => [t.record.jobId, t.job]));
  const finished = new Map(tasks.map((t) => [t.record.jobId, t.finished]));
  const figures = runFigures(loopOf(tasks.map((t) => t.record)), { jobs, finishedAt: finished });

  it('counts completed tasks per second of the window', () => {
    expect(figures.completed).toBe(4);
    expect(figures.seconds).toBe(2);
    expect(figures.perSecond).toBe(2);
  });

  it('takes latency from the client and scheduling delay from the job, as nearest-rank percentiles', () => {
    // Latencies 30, 50, 100, 200; scheduling delays 3, 7, 79, 6.
    expect(figures.latencyP50Ms).toBe(50);
    expect(figures.latencyP99Ms).toBe(200);
    expect(figures.schedulingP50Ms).toBe(6);
    expect(figures.schedulingP99Ms).toBe(79);
  });

  it('splits each task into segments whose medians say where the time went', () => {
    expect(figures.breakdown).toEqual({
      toQueueMs: 2.5, // 2, 3, 1, 4
      queuedMs: 6.5, // 3, 7, 79, 6
      runMs: 5, // 4, 6, 1, 10
      noticedMs: 27.5, // 21, 34, 19, 180
      workerHoldMs: 7, // 6, 8, 4, 12
    });
  });

  it("takes the client's own time as the completion when no task completion is given", () => {
    const [only] = tasks as [(typeof tasks)[number]];
    const reference = runFigures(loopOf([only.record]), { jobs });
    expect(reference.breakdown.runMs).toBe(25);
    expect(reference.breakdown.noticedMs).toBe(0);
  });

  it('names a task whose job timing is missing', () => {
    expect(() => runFigures(loopOf([tasks[0]?.record as TaskRecord]), { jobs: new Map() })).toThrow(
      'task a: its job',
    );
  });

  it('gives medians over the rounds, sums errors and keeps the first error', () => {
    const queue = (meanQueued: number) => ({
      samples: 80,
      meanQueued,
      meanRunning: 2,
    });
    const path = pathFigures([
      run(100, { errors: 1, latencyP50Ms: 30, queue: queue(9) }),
      run(300, { latencyP50Ms: 10, firstError: 'HTTP 500', queue: queue(1) }),
      run(200, { errors: 2, latencyP50Ms: 20, queue: queue(4) }),
    ]);
    expect(path.perSecond).toBe(200);
    expect(path.perSecondPerRound).toEqual([100, 300, 200]);
    expect(path.latencyP50Ms).toBe(20);
    expect(path.errors).toBe(3);
    expect(path.completed).toBe(2400);
    expect(path.firstError).toBe('HTTP 500');
    expect(path.queue).toEqual({
      samples: 240,
      meanQueued: 4,
      meanRunning: 2,
    });
  });

  it("compares with the reference round by round: the median of the rounds' ratios", () => {
    const ratio = throughputRatio([run(10), run(30), run(20)], [run(20), run(30), run(100)]);
    // Ratios 0.5, 1, 0.2: their median, not 20 / 30 (the ratio of the medians).
    expect(ratio).toEqual({ ratio: 0.5, ratioPerRound: [0.5, 1, 0.2] });
    expect(() => throughputRatio([run(10)], [])).toThrow('rounds: 1 of the path against 0');
  });

  it('averages the queue samples', () => {
    const counts = [
      { queued: 0, running: 1 },
      { queued: 5, running: 4 },
      { queued: 5, running: 1 },
      { queued: 3, running: 2 },
    ];
    expect(summarizeQueue(counts)).toEqual({ samples: 4, meanQueued: 3.25, meanRunning: 2 });
  });
});
