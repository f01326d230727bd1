import type { RunQueueSettings, RunStep } from '../execution/run-queue.js';

/**
 * The run queue of the chaos test, in its front end and every worker process alike (the first
 * to start creates the queue with them). No heartbeats, so a SIGKILLed worker's jobs come back
 * after `expireInSeconds` (found by a supervisor every second) instead of 30–45 s; attempts
 * longer than that on a loaded machine are taken back too, and their late saves must change
 * nothing. Enough retries that expiries under load never exhaust a job.
 */
export const CHAOS_QUEUE: RunQueueSettings = {
  heartbeatSeconds: null,
  expireInSeconds: 6,
  retryLimit: 10,
  retryDelaySeconds: 1,
  superviseIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  localConcurrency: 4,
  poolMax: 4,
};

/**
 * What one model call costs in the chaos test, in AIA. The local model is free, so without a
 * price every reservation would be voided; with one, completed LLM children are posted (a
 * partial post of their cost) and the books check covers posts as well as voids.
 */
export const CHAOS_PRICE_AIA = '0.010000';

/** What a worker prints on stdout, one JSON object a line. */
export type ChaosWorkerLine =
  | { readonly ready: true; readonly pid: number }
  | {
      readonly job: 'start' | 'end';
      readonly step: RunStep;
      readonly taskId: string;
      readonly attempt: number;
      /** For `end`: the error message when the attempt threw (pg-boss retries it). */
      readonly error?: string;
    };
