import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { encodeEnvelope, newEnvelope } from '../../platform/events/envelope.js';
import { connectRedisStreams } from '../../platform/events/redis-streams-transport.js';
import { createRedis } from '../../platform/redis.js';
import { usePlatformBehindGateway } from '../testing/platform-behind-gateway.js';
import { openClient } from './testing/stream-fixture.js';

/**
 * `/v1/stream` on the gateway as the runtime starts it (its own Redis client and settings, the
 * event bus's key prefix), not a hub served by hand: a record a producer's relay writes to the
 * bus reaches a subscriber through the gateway, also after the reader waited longer than the
 * service's Redis command timeout.
 */
const platform = await usePlatformBehindGateway('stream_e2e');
const RANKINGS = 'aia.performance.rankings.v1';
let transport: Awaited<ReturnType<typeof connectRedisStreams>>;
let redis: ReturnType<typeof createRedis>;

beforeAll(async () => {
  redis = createRedis({ url: platform.redisUrl });
  transport = await connectRedisStreams({ redis });
});
afterAll(async () => {
  await transport?.close();
  redis?.disconnect();
});

describe('live events through the gateway as the runtime starts it', () => {
  it('delivers a ranking change written to the bus to a subscriber of that agent only', async () => {
    const token = await testToken({ subject: 'user:ada', scope: 'performance:read' });
    const url = `${platform.gateway.url.replace(/^http/, 'ws')}/v1/stream`;
    const client = await openClient(url, { token });
    const agent = randomUUID();
    client.send({ type: 'subscribe', id: 'r', topic: RANKINGS, filter: { agent_id: agent } });
    await client.next((message) => message.type === 'subscribed');
    // Longer than the gateway's Redis command timeout (1 s): its reader must still be reading.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const publish = (agentId: string, rank: number) =>
      transport.publish([
        {
          topic: RANKINGS,
          key: agentId,
          value: encodeEnvelope(
            newEnvelope({
              topic: RANKINGS,
              key: agentId,
              schemaVersion: 1,
              producer: 'performance-tracker',
              record: { agent_id: agentId, rank, score: 0.5, window: 'sliding' },
            }),
          ),
        },
      ]);
    await publish(randomUUID(), 1);
    await publish(agent, 2);
    const [event] = await client.next((message) => message.type === 'event');
    const data = event?.data as { record: { agent_id: string; rank: number } } | undefined;
    expect(data?.record).toMatchObject({
      agent_id: agent,
      rank: 2,
    });
    expect(client.messages.filter((message) => message.type === 'event')).toHaveLength(1);
    // Its reader waited on the bus without failing (a wait outlasting the command timeout did).
    expect(platform.logs()).not.toContain('reading the event bus failed');
    client.socket.close();
  });
});
