import { readFileSync } from 'node:fs';

/** How a whole-number setting read from the environment may be. */
export interface SettingRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A positive whole number from environment variable `name`, `fallback` when unset or empty.
 * @throws Error naming the variable, the value and the range when it is not a whole number in it.
 */
export function wholeNumberSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  { min, max }: SettingRange,
): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  return value;
}

/** The soft limit on open files of this process (`ulimit -n`), from /proc; undefined elsewhere. */
export function openFilesLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(
      readFileSync('/proc/self/limits', 'utf8'),
    );
    if (!line?.[1]) return undefined;
    return line[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line[1]);
  } catch {
    return undefined;
  }
}

/**
 * Checks that `sockets` held at once fit under the open-files limit, with `spare` descriptors for
 * everything else. The gateway, started from this process, inherits the same limit and holds as
 * many (plus its upstream connections).
 * @throws Error saying how many are needed and how to raise the limit.
 */
export function assertDescriptors(sockets: number, spare: number, limit: number | undefined): void {
  if (limit === undefined || sockets + spare <= limit) return;
  throw new Error(
    `holding ${sockets} connections needs about ${sockets + spare} open files, but the limit is ${limit}: raise it (ulimit -n ${sockets + spare}) or lower BENCH_HOLD_CONNECTIONS`,
  );
}
