import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../ledger/percentiles.js';
import type { VerifyJob, VerifyMessage } from './verify-process.js';

/** Milliseconds of each of `runs` calls after `warmup` unmeasured ones, and their median. */
export interface Timings {
  readonly runsMs: number[];
  readonly medianMs: number;
}

/** Times `action` one call at a time. */
export async function timeEach(
  action: () => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<Timings> {
  for (let index = 0; index < warmup; index++) await action();
  const runsMs: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    await action();
    runsMs.push(performance.now() - started);
  }
  return { runsMs, medianMs: median(runsMs) };
}

/** Verifications per second with `concurrency` in flight, the median of `runs` rounds. */
export interface Throughput {
  readonly concurrency: number;
  readonly perSecondRuns: number[];
  readonly perSecond: number;
}

/**
 * `concurrency` verifications in flight at once on the main thread, `perRound` per round:
 * what a single governor process does with concurrent vote requests.
 */
export async function inProcessThroughput(
  verify: () => Promise<unknown>,
  concurrency: number,
  perRound: number,
  runs: number,
): Promise<Throughput> {
  const perSecondRuns: number[] = [];
  for (let run = 0; run < runs; run++) {
    let left = perRound;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left > 0) {
          left--;
          await verify();
        }
      }),
    );
    perSecondRuns.push(perRound / ((performance.now() - started) / 1000));
  }
  return { concurrency, perSecondRuns, perSecond: median(perSecondRuns) };
}

const once = <T>(child: ChildProcess, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const fail = (code: number | null) =>
      reject(new Error(`verifying process, ${what}: exited with ${code}`));
    child.once('exit', fail);
    child.once('message', (message: T) => {
      child.off('exit', fail);
      resolve(message);
    });
  });

/**
 * `concurrency` child processes, each verifying `perRound / concurrency` proofs per round: what
 * moving verification off the governor's main thread gains. (Not worker threads: snarkjs cannot
 * load in one.) The processes start and load the curve before the clock starts.
 */
export async function processThroughput(
  job: VerifyJob,
  concurrency: number,
  perRound: number,
  runs: number,
): Promise<Throughput> {
  const script = fileURLToPath(new URL('./verify-process.ts', import.meta.url));
  // The parent's execArgv carries tsx's loader; 'advanced' serialisation carries bigints.
  const children = Array.from({ length: concurrency }, () =>
    fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  try {
    const ready = await Promise.all(
      children.map((child) => {
        const answer = once<{ ready: boolean }>(child, 'start');
        child.send({ job } satisfies VerifyMessage);
        return answer;
      }),
    );
    if (!ready.every((answer) => answer.ready))
      throw new Error('the benchmark proof does not verify in a verifying process');
    const share = Math.ceil(perRound / concurrency);
    const perSecondRuns: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const answers = await Promise.all(
        children.map((child) => {
          const answer = once<{ done: number; failed: number }>(child, 'verify');
          child.send({ count: share } satisfies VerifyMessage);
          return answer;
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      if (answers.some((answer) => answer.failed > 0)) {
        throw new Error('a verifying process saw the benchmark proof fail');
      }
      perSecondRuns.push((share * concurrency) / elapsed);
    }
    return { concurrency, perSecondRuns, perSecond: median(perSecondRuns) };
  } finally {
    for (const child of children) if (child.connected) child.disconnect();
  }
}
