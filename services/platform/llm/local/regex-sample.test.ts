import { describe, expect, it } from 'vitest';
import { compilePattern, sampleRegex } from './regex-sample.js';

describe('sampleRegex', () => {
  it.each([
    '^[A-Z]{3}-\\d{4}$',
    '^(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?$',
    '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    '^[^A-Z]*$',
    '^\\+[1-9]\\d{6,14}$',
    '^[cC][0-9a-z]{6,}$',
    '^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$',
    '^(cat|dog)s?\\.$',
    '^\\x41\\u0042\\u{43}$',
    '^[\\w.]+@[\\w-]+\\.(?:com|org)$',
    'mid',
  ])('produces a string that %s matches', (pattern) => {
    const sample = sampleRegex(pattern);
    expect(sample).toBeDefined();
    expect(compilePattern(pattern)?.test(sample as string)).toBe(true);
  });

  it('lengthens unbounded and ranged quantifiers by `extra`, within their maximum', () => {
    expect(sampleRegex('^a+b{2,4}$', 0)).toBe('abb');
    expect(sampleRegex('^a+b{2,4}$', 5)).toBe('aaaaaabbbb');
  });

  it('gives up (undefined) on back-references instead of guessing', () => {
    expect(sampleRegex('^(a)\\1$')).toBeUndefined();
  });
});
