import { spawnSync } from 'node:child_process';

export interface Timing {
  readonly label: string;
  readonly runsMs: number[];
  readonly medianMs: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Wall time of a whole command, `runs` times after one warm-up run (file cache, tsx cache); the
 * median is what to quote on a noisy machine. A failing run aborts with the command's stderr.
 */
export function timeCommand(
  label: string,
  command: string,
  args: readonly string[],
  runs: number,
  cwd: string,
): Timing {
  const runsMs: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const result = spawnSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const elapsed = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`${label} failed (exit ${result.status}):\n${result.stderr}`);
    if (i > 0) runsMs.push(Math.round(elapsed));
    process.stderr.write(`  ${label}: run ${i === 0 ? 'warm-up' : i} ${Math.round(elapsed)} ms\n`);
  }
  return { label, runsMs, medianMs: median(runsMs) };
}
