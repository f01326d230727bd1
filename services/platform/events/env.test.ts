import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, secretKeysOf } from '../config.js';
import { eventBusConfigured, eventBusEnv, kafkaBrokersOf } from './env.js';
import { connectEventBus } from './event-bus.js';

const schema = z
  .object({
    ENVIRONMENT: z.string().default('development'),
    REDIS_URL: z.string().optional(),
    ...eventBusEnv,
  })
  .superRefine(eventBusConfigured, { when: () => true });
const problems = (env: Record<string, string>) => {
  try {
    loadConfig('svc', schema, env);
    return [];
  } catch (error) {
    return (error as ConfigError).issues.map((issue) => `${issue.field}: ${issue.reason}`);
  }
};

describe('event bus configuration', () => {
  it('defaults to Redis Streams on REDIS_URL; without one the bus is off, not a configuration error', () => {
    expect(loadConfig('svc', schema, { REDIS_URL: 'redis://localhost' }).EVENT_TRANSPORT).toBe(
      'redis',
    );
    expect(problems({})).toEqual([]);
  });

  it('needs brokers with kafka, and user, password and CA on deployed stacks', () => {
    expect(problems({ EVENT_TRANSPORT: 'kafka' })).toEqual([
      'KAFKA_BROKERS: required when EVENT_TRANSPORT is kafka',
    ]);
    expect(
      problems({ EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: 'b:9092', KAFKA_USERNAME: 'u' }),
    ).toEqual(['KAFKA_PASSWORD: required with KAFKA_USERNAME']);
    expect(
      problems({ EVENT_TRANSPORT: 'kafka', ENVIRONMENT: 'production', KAFKA_BROKERS: 'b:9092' }),
    ).toEqual([
      'KAFKA_USERNAME: required when EVENT_TRANSPORT is kafka and ENVIRONMENT is production',
      'KAFKA_PASSWORD: required when EVENT_TRANSPORT is kafka and ENVIRONMENT is production',
      'KAFKA_CA_CERT_FILE: required when EVENT_TRANSPORT is kafka and ENVIRONMENT is production',
    ]);
    expect(problems({ EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: 'b:9092, c' })[0]).toMatch(
      /^KAFKA_BROKERS: expected a comma-separated list of host:port/,
    );
    expect(kafkaBrokersOf('a:9092, b:9093,')).toEqual(['a:9092', 'b:9093']);
  });

  it('marks the Kafka password as a secret and never echoes it', () => {
    expect(secretKeysOf(z.object(eventBusEnv))).toEqual(['KAFKA_PASSWORD']);
    const message = problems({
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: 'b:9092',
      KAFKA_PASSWORD: 'hunter2-secret',
    }).join('\n');
    expect(message).not.toContain('hunter2-secret');
  });

  it('starts with unreachable brokers and reports them through readiness', async () => {
    const bus = await connectEventBus({
      service: 'performance-tracker',
      config: { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: '127.0.0.1:1' },
      logger: pino({ level: 'silent' }),
      registry: new Registry(),
    });
    try {
      expect(bus.transport).toBe('kafka');
      await expect(bus.readiness(new AbortController().signal)).rejects.toThrow();
    } finally {
      await bus.close();
    }
  });

  it('refuses a CA file that cannot be read, naming the variable', async () => {
    const connecting = connectEventBus({
      service: 'performance-tracker',
      config: {
        EVENT_TRANSPORT: 'kafka',
        KAFKA_BROKERS: 'b:9092',
        KAFKA_CA_CERT_FILE: '/nonexistent/ca.crt',
      },
      logger: pino({ level: 'silent' }),
      registry: new Registry(),
    });
    await expect(connecting).rejects.toThrow(ConfigError);
    await expect(connecting).rejects.toThrow(
      /KAFKA_CA_CERT_FILE: cannot read \/nonexistent\/ca.crt/,
    );
  });
});
