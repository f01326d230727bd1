import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlIn } from './redact-url.js';

describe('redacting a source URL', () => {
  it('replaces user info and credential-like query values, keeping the rest', () => {
    expect(
      redactUrl('https://ada:hunter2@feeds.example/rss?api_key=abc&q=ai&X-Amz-Signature=f00'),
    ).toBe(
      'https://REDACTED:REDACTED@feeds.example/rss?api_key=REDACTED&q=ai&X-Amz-Signature=REDACTED',
    );
    expect(redactUrl('https://feeds.example/rss?token=t&sig=s')).toBe(
      'https://feeds.example/rss?token=REDACTED&sig=REDACTED',
    );
  });

  it('leaves a URL without credentials, a file name and a topic exactly as given', () => {
    expect(redactUrl('https://feeds.example/rss?q=a%20b')).toBe(
      'https://feeds.example/rss?q=a%20b',
    );
    expect(redactUrl('startup-news.rss')).toBe('startup-news.rss');
    expect(redactUrl('aia.dkg.changes.v1')).toBe('aia.dkg.changes.v1');
    expect(redactUrl(null)).toBeNull();
  });

  it('redacts the URL inside a message', () => {
    expect(redactUrlIn('GET https://x.example/?key=k failed', 'https://x.example/?key=k')).toBe(
      'GET https://x.example/?key=REDACTED failed',
    );
  });
});
