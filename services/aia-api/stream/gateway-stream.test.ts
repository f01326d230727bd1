import { Writable } from 'node:stream';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { eventTopics } from '../../events/topics.js';
import { ConfigError } from '../../platform/config.js';
import { gatewayStream } from './gateway-stream.js';
import { streamTopicNames } from './stream-topics.js';

/** A logger whose lines the test reads. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

const verify = async () => {
  throw new Error('no tokens in this test');
};

describe('gatewayStream', () => {
  it('serves /v1/stream on Kafka with the fan-out reader, which keeps trying an unreachable broker', async () => {
    const { logger, lines } = recordingLogger();
    const hub = gatewayStream({
      // Nothing listens on port 1: the reader is built and fails to connect, as with a broker down.
      config: { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: '127.0.0.1:1', ENVIRONMENT: 'test' },
      redis: undefined,
      verify,
      registry: new Registry(),
      logger,
    });
    expect(hub).toBeDefined();
    expect(lines.some((line) => line.msg.includes('/v1/stream is off'))).toBe(false);
    hub?.start();
    try {
      await expect
        .poll(
          async () =>
            hub?.readiness().then(
              () => 'ready',
              (error: Error) => error.message,
            ),
          {
            timeout: 15_000,
            interval: 200,
          },
        )
        .toMatch(/live event feed not reading: (?!not started)/);
    } finally {
      const started = Date.now();
      await hub?.close();
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  }, 30_000);

  it('refuses Kafka without brokers, naming the variable', () => {
    const { logger } = recordingLogger();
    expect(() =>
      gatewayStream({
        config: { EVENT_TRANSPORT: 'kafka' },
        redis: undefined,
        verify,
        registry: new Registry(),
        logger,
      }),
    ).toThrow(ConfigError);
  });

  it('is off, said once, on Redis Streams without REDIS_URL', () => {
    const { logger, lines } = recordingLogger();
    const hub = gatewayStream({
      config: { EVENT_TRANSPORT: 'redis' },
      redis: undefined,
      verify,
      registry: new Registry(),
      logger,
    });
    expect(hub).toBeUndefined();
    expect(lines.filter((line) => line.msg.includes('/v1/stream is off'))).toHaveLength(1);
  });

  it("reads on Kafka exactly the topics whose readers name the gateway (its KafkaUser's Read ACLs)", () => {
    const readable = Object.entries(eventTopics)
      .filter(([, topic]) => 'readers' in topic && topic.readers.includes('aia-api'))
      .map(([name]) => name);
    expect(readable.sort()).toEqual([...streamTopicNames].sort());
  });
});
