/**
 * Epochs cut time into fixed slices of `hours` (EPOCH_HOURS) counted from EPOCH_ORIGIN: epoch n
 * covers [origin + n·len, origin + (n+1)·len). The origin is a fixed, documented instant, the
 * same on every stack and replica, so an epoch's number names the same slice everywhere and for
 * ever (its reward distribution id is derived from it). Changing EPOCH_HOURS renumbers the
 * epochs: do it only between payouts (docs/performance-tracker.md).
 */
export const EPOCH_ORIGIN = new Date('2026-01-01T00:00:00.000Z');

const HOUR_MS = 3_600_000;

/** One epoch: its number and the half-open interval [startsAt, endsAt) it covers. */
export interface EpochSpan {
  readonly epoch: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** Epoch `epoch`'s interval for epochs of `hours`. Throws for a negative or fractional number. */
export function epochSpan(epoch: number, hours: number): EpochSpan {
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new RangeError(`epoch must be a whole number from 0 (got ${epoch})`);
  const length = hours * HOUR_MS;
  const startsAt = new Date(EPOCH_ORIGIN.getTime() + epoch * length);
  return { epoch, startsAt, endsAt: new Date(startsAt.getTime() + length) };
}

/** The epoch `at` falls in (-1 before the origin). */
export function epochAt(at: Date, hours: number): number {
  return Math.floor((at.getTime() - EPOCH_ORIGIN.getTime()) / (hours * HOUR_MS));
}

/**
 * The latest epoch that has ended and settled by `now`: runs finishing inside an epoch reach the
 * tracker a little after they finish, so an epoch is snapshot `settleMs` after its end. -1 when
 * none has.
 */
export function lastSettledEpoch(now: Date, hours: number, settleMs: number): number {
  return epochAt(new Date(now.getTime() - settleMs), hours) - 1;
}
