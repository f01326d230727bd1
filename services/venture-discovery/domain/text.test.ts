import { describe, expect, it } from 'vitest';
import { normaliseItem } from './signal.js';
import { canonicalUrl, normaliseText, parseDate } from './text.js';

const now = new Date('2026-11-30T12:00:00Z');

describe('normalisation', () => {
  it('turns markup, references and odd characters into plain text', () => {
    expect(normaliseText('<p>Heat&nbsp;pumps &amp; <b>grants&#x21;</b>\u0000\ud800 </p>')).toBe(
      'Heat pumps & grants!',
    );
  });

  it('canonicalises links so copies compare equal', () => {
    expect(canonicalUrl('HTTPS://Example.ORG:443/a/?utm_source=x&b=2&a=1#top')).toBe(
      'https://example.org/a?a=1&b=2',
    );
    expect(canonicalUrl('javascript:alert(1)')).toBeUndefined();
  });

  it('parses the dates feeds give and refuses ones from the future', () => {
    expect(parseDate('Mon, 23 Nov 2026 10:00:00 GMT', now)?.toISOString()).toBe(
      '2026-11-23T10:00:00.000Z',
    );
    expect(parseDate('1795000000', now)?.getUTCFullYear()).toBe(2026);
    expect(parseDate('2027-01-01', now)).toBeUndefined();
    expect(parseDate('soon', now)).toBeUndefined();
  });

  it('fingerprints an item by its canonical link, and drops items with nothing to read', () => {
    const a = normaliseItem({ title: 'A', url: 'https://x.org/p?utm_medium=rss' }, now);
    const b = normaliseItem({ title: 'B', url: 'https://x.org/p' }, now);
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(normaliseItem({ title: ' ', text: '<br>' }, now)).toBeUndefined();
  });
});
