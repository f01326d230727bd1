import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPOCH_ORIGIN, epochAt, epochSpan, lastSettledEpoch } from './epoch-clock.js';

describe('epochs', () => {
  it('cut time into half-open slices of the configured length from the origin', () => {
    expect(epochSpan(0, 24)).toEqual({
      epoch: 0,
      startsAt: EPOCH_ORIGIN,
      endsAt: new Date('2026-01-02T00:00:00Z'),
    });
    expect(epochSpan(3, 6).startsAt).toEqual(new Date('2026-01-01T18:00:00Z'));
    expect(epochAt(new Date('2026-01-02T00:00:00Z'), 24)).toBe(1);
    expect(epochAt(new Date('2026-01-01T23:59:59.999Z'), 24)).toBe(0);
    expect(epochAt(new Date('2025-12-31T23:00:00Z'), 24)).toBe(-1);
  });

  it('place every instant inside the epoch they name', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 365 * 24 * 3_600_000 }),
        fc.integer({ min: 1, max: 720 }),
        (offsetMs, hours) => {
          const at = new Date(EPOCH_ORIGIN.getTime() + offsetMs);
          const span = epochSpan(epochAt(at, hours), hours);
          expect(span.startsAt.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(at.getTime()).toBeLessThan(span.endsAt.getTime());
        },
      ),
    );
  });

  it('settle a while after their end', () => {
    const settle = 10 * 60_000;
    expect(lastSettledEpoch(new Date('2026-01-02T00:09:59Z'), 24, settle)).toBe(-1);
    expect(lastSettledEpoch(new Date('2026-01-02T00:10:00Z'), 24, settle)).toBe(0);
  });

  it('refuse a negative or fractional epoch number', () => {
    expect(() => epochSpan(-1, 24)).toThrow(/whole number/);
    expect(() => epochSpan(1.5, 24)).toThrow(/whole number/);
  });
});
