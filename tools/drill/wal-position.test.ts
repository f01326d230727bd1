import { describe, expect, it } from 'vitest';
import { formatLsn, formatMicros, parseLsn, segmentBounds, utcMicros } from './wal-position.js';

describe('WAL positions and times', () => {
  it('reads and prints an LSN as PostgreSQL does', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16_b374d848n);
    expect(formatLsn(0x16_b374d848n)).toBe('16/B374D848');
    expect(() => parseLsn('16-B3')).toThrow(/not a WAL position/);
  });

  it('finds the byte range of a segment file from its name', () => {
    const size = 16n * 1024n * 1024n;
    expect(segmentBounds('000000010000000000000003', size)).toEqual({
      start: 3n * size,
      end: 4n * size,
    });
    // 256 segments of 16 MiB per log id: the next log id starts at 1/00000000.
    expect(segmentBounds('000000010000000100000000', size).start).toBe(parseLsn('1/0'));
  });

  it('keeps microseconds exact both ways', () => {
    const micros = utcMicros('2026-12-03 15:45:24.000123');
    expect(micros % 1_000_000n).toBe(123n);
    expect(formatMicros(micros)).toBe('2026-12-03 15:45:24.000123+00');
    expect(utcMicros('2026-12-03 15:45:24 UTC')).toBe(micros - 123n);
  });
});
