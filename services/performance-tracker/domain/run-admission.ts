import { ALL, skillKey } from './scope.js';

/**
 * How far after its event was written a run may say it finished: a day covers any clock drift
 * between services. A run dated later is a wrong clock, not a run from tomorrow, and taking it in
 * would move its agent's windows forward for good (a window never moves back), emptying them.
 */
export const FUTURE_RUN_TOLERANCE_MS = 86_400_000;

/**
 * Why a schema-valid run must not be taken in, or undefined when it may be: finished too far
 * ahead, or in the skill `*`, the key of "every skill" (its rows would be the agent's overall
 * scorecard). `occurredAt` is its event's time; the earlier of it and `now` is the reference, so
 * a replay of the same event judges it the same way, and a producer's clock running ahead does
 * not widen the tolerance.
 */
export function runRefusal(
  record: { readonly finished_at: string; readonly skill?: string | undefined },
  occurredAt: string,
  now: Date,
): string | undefined {
  const reference = Math.min(Date.parse(occurredAt), now.getTime());
  if (Date.parse(record.finished_at) > reference + FUTURE_RUN_TOLERANCE_MS)
    return `finished_at ${record.finished_at} is more than a day after the event was written (${new Date(reference).toISOString()})`;
  if (skillKey(record.skill) === ALL)
    return `skill ${JSON.stringify(record.skill)} is reserved: the tracker keys "every skill" as ${ALL}`;
  return undefined;
}
