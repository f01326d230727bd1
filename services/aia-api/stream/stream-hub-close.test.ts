import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { testPublicKeys } from '../../../test/harness/jwt.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { TopicReader } from '../../platform/events/topic-reader.js';
import { createStreamHub } from './stream-hub.js';

/** A bus that never answers a waiting read until the reader closes (a Redis that went away). */
function stalledReader() {
  let release: ((error: Error) => void) | undefined;
  const reader: TopicReader = {
    partitionsOf: () => 1,
    ends: async () => ['0-0'],
    expired: async () => [],
    range: async () => [],
    follow: () =>
      new Promise((_, reject) => {
        release = reject;
      }),
    compare: (a, b) => a.localeCompare(b),
    close: async () => release?.(new Error('reader closed')),
  };
  return { reader, reading: () => release !== undefined };
}

function hubOn(reader: TopicReader) {
  return createStreamHub({
    reader,
    verify: createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    }),
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
  });
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('closing the stream hub', () => {
  it('ends a read that waits on the bus by closing the reader, instead of waiting for it', async () => {
    const bus = stalledReader();
    const hub = hubOn(bus.reader);
    hub.start();
    await until(bus.reading);
    // Before: the hub awaited the feed, whose read only the reader's close could end: forever.
    await expect(hub.close()).resolves.toBeUndefined();
  });
});
