const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Milliseconds of a Prometheus duration as the rule settings write them (`90s`, `2m`, `1h30m`).
 * @throws Error naming the value when it is not one.
 */
export function promDurationMs(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== duration) {
    throw new Error(`"${duration}" is not a Prometheus duration such as 30s, 2m or 1h30m`);
  }
  return parts.reduce(
    (total, [, count, unit]) => total + Number(count) * (UNIT_MS[unit as string] ?? 0),
    0,
  );
}
