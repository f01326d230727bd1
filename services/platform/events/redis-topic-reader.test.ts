import { afterEach, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../../test/harness/index.js';
import { createRedis } from '../redis.js';
import { connectRedisStreams } from './redis-streams-transport.js';
import { compareStreamIds, connectRedisTopicReader } from './redis-topic-reader.js';

const redis = useTestRedis();
const TOPIC = 'aia.agents.tasks.v1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A transport and a reader over one key prefix of this test's own; one partition per topic. */
async function place(name: string) {
  const client = createRedis({ url: redis.url });
  const keyPrefix = `${redis.keyPrefix}${name}:`;
  const partitionsOf = () => 1;
  const transport = await connectRedisStreams({ redis: client, keyPrefix, partitionsOf });
  const reader = connectRedisTopicReader({ redis: client, keyPrefix, partitionsOf });
  const raw = client.duplicate({ keyPrefix });
  await raw.connect().catch(() => {});
  cleanups.push(async () => {
    await reader.close();
    await transport.close();
    raw.disconnect();
    client.disconnect();
  });
  const publish = (...values: string[]) =>
    transport.publish(values.map((value) => ({ topic: TOPIC, key: 'k', value })));
  return { reader, publish, raw };
}

describe('Redis topic reader (fan-out, no group)', () => {
  it('waits longer than the service client’s 1 s command timeout without failing', async () => {
    const { reader } = await place('quiet');
    const [end = ''] = await reader.ends(TOPIC);
    const waited = Date.now();
    const read = await reader.follow([{ topic: TOPIC, after: [end] }], {
      limit: 10,
      waitMs: 1_500,
    });
    expect(read).toEqual([]);
    expect(Date.now() - waited).toBeGreaterThanOrEqual(1_400);
  });

  it('starts at the end, follows what comes after, and reads a range between two positions', async () => {
    const { reader, publish } = await place('follow');
    await publish('old');
    const [end = ''] = await reader.ends(TOPIC);
    await publish('a', 'b', 'c');
    const read = await reader.follow([{ topic: TOPIC, after: [end] }], { limit: 10, waitMs: 100 });
    expect(read.map((d) => d.value)).toEqual(['a', 'b', 'c']);
    const [a, , c] = read;
    // Two readers of one topic both see every record: no group shares them out.
    const again = await reader.follow([{ topic: TOPIC, after: [end] }], { limit: 10, waitMs: 100 });
    expect(again).toHaveLength(3);
    const between = await reader.range(TOPIC, 0, a?.position ?? '', c?.position ?? '', 10);
    expect(between.map((d) => d.value)).toEqual(['b', 'c']);
    expect(compareStreamIds(a?.position ?? '', c?.position ?? '')).toBeLessThan(0);
  });

  it('waits up to waitMs when nothing is new', async () => {
    const { reader } = await place('wait');
    const ends = await reader.ends(TOPIC);
    const started = Date.now();
    expect(
      await reader.follow([{ topic: TOPIC, after: ends }], { limit: 10, waitMs: 150 }),
    ).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reports a position expired only once records after it were trimmed away', async () => {
    const { reader, publish, raw } = await place('expiry');
    const [empty = ''] = await reader.ends(TOPIC);
    await publish('a', 'b');
    expect(await reader.expired(TOPIC, [empty])).toEqual([]);
    const [, b] = await reader.range(TOPIC, 0, empty, '+', 10);
    await raw.xtrim(`${TOPIC}:0`, 'MAXLEN', 1);
    expect(await reader.expired(TOPIC, [empty])).toEqual([0]);
    expect(await reader.expired(TOPIC, [b?.position ?? ''])).toEqual([]);
    await raw.xtrim(`${TOPIC}:0`, 'MAXLEN', 0);
    expect(await reader.expired(TOPIC, [empty])).toEqual([0]);
    expect(await reader.expired(TOPIC, [b?.position ?? ''])).toEqual([]);
  });
});
