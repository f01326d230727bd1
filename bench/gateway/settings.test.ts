import { describe, expect, it } from 'vitest';
import { assertDescriptors, wholeNumberSetting } from './settings.js';

describe('wholeNumberSetting', () => {
  const range = { min: 1, max: 3600 };

  it('uses the fallback when the variable is unset or blank', () => {
    expect(wholeNumberSetting({}, 'BENCH_HOLD_SECONDS', 60, range)).toBe(60);
    expect(wholeNumberSetting({ BENCH_HOLD_SECONDS: ' ' }, 'BENCH_HOLD_SECONDS', 60, range)).toBe(
      60,
    );
  });

  it('reads a whole number within the range', () => {
    expect(wholeNumberSetting({ BENCH_HOLD_SECONDS: '15' }, 'BENCH_HOLD_SECONDS', 60, range)).toBe(
      15,
    );
  });

  it.each(['0', '3601', '1.5', 'ten', '-4'])(
    'refuses %s, naming the variable and the range',
    (value) => {
      expect(() =>
        wholeNumberSetting({ BENCH_HOLD_SECONDS: value }, 'BENCH_HOLD_SECONDS', 60, range),
      ).toThrow(`BENCH_HOLD_SECONDS must be a whole number from 1 to 3600, not '${value}'`);
    },
  );
});

describe('assertDescriptors', () => {
  it('passes when the connections and the spare fit under the limit, or the limit is unknown', () => {
    expect(() => assertDescriptors(2000, 500, 2500)).not.toThrow();
    expect(() => assertDescriptors(2000, 500, undefined)).not.toThrow();
  });

  it('says how far to raise the limit when they do not fit', () => {
    expect(() => assertDescriptors(2000, 500, 1024)).toThrow(
      'holding 2000 connections needs about 2500 open files, but the limit is 1024: raise it (ulimit -n 2500) or lower BENCH_HOLD_CONNECTIONS',
    );
  });
});
