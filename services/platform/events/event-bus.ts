import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventTopicName } from '../../events/topics.js';
import { ConfigError } from '../config.js';
import type { ReadinessCheck } from '../health.js';
import { type SubscribeOptions, type Subscription, subscribe } from './consumer.js';
import { type EventBusConfig, kafkaSettingsOf } from './env.js';
import { type EventEnvelope, encodeEnvelope } from './envelope.js';
import { connectKafka } from './kafka-transport.js';
import { eventMetrics } from './metrics.js';
import { connectRedisStreams, type RedisStreamsOptions } from './redis-streams-transport.js';
import { type Relay, type RelayOptions, startRelay } from './relay.js';
import type { EventTransport } from './transport.js';

export interface EventBusOptions {
  /** The service's name: the envelopes' producer, the Kafka client id, the default group. */
  readonly service: string;
  /** The service's parsed configuration (`eventBusEnv`, plus REDIS_URL and ENVIRONMENT). */
  readonly config: EventBusConfig;
  /**
   * The service's Redis client, required with EVENT_TRANSPORT=redis. The bus copies its
   * connection settings into connections of its own, under a key prefix every service shares.
   */
  readonly redis?: Redis;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Local transport tuning (tests: a key prefix of their own, short leases). */
  readonly redisStreams?: Omit<RedisStreamsOptions, 'redis' | 'logger'>;
}

/** Publishes envelopes straight to the transport: for the relay, dead letters and tools. */
export interface EventPublisher {
  publish(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** The platform's event bus as one service sees it. */
export interface EventBus {
  readonly transport: EventTransport['kind'];
  /** Services write events with `writeEvent` (the outbox), not with this. */
  readonly publisher: EventPublisher;
  /** Joins the service's consumer group for `topic`; see `SubscribeOptions`. */
  subscribe<T extends EventTopicName>(options: SubscribeOptions<T>): Promise<Subscription>;
  /** Starts relaying the service's outbox to the transport (one leader per database). */
  startRelay(options: RelayOptions): Relay;
  /** For `/readyz`: the transport answers. */
  readonly readiness: ReadinessCheck;
  /** Stops relays and subscriptions (each finishing what it holds), then the transport. */
  close(): Promise<void>;
}

/**
 * The event bus a service's configuration names: Kafka (EVENT_TRANSPORT=kafka: KAFKA_BROKERS,
 * SCRAM-SHA-512 with KAFKA_USERNAME/KAFKA_PASSWORD, TLS with KAFKA_CA_CERT_FILE) or Redis Streams
 * over the service's Redis. Brokers that cannot be reached at start do not fail this; readiness
 * reports them.
 * @throws ConfigError when the transport's settings are missing or its CA file is unusable.
 * @example
 * const bus = await connectEventBus({ service: 'performance-tracker', config, redis, logger, registry });
 * const relay = bus.startRelay({ sql });
 * const subscription = await bus.subscribe({ topic: 'aia.ledger.transfers.v1', sql, handler });
 */
export async function connectEventBus({
  service,
  config,
  redis,
  logger,
  registry,
  redisStreams,
}: EventBusOptions): Promise<EventBus> {
  const transport = await connectTransport({ service, config, redis, logger, redisStreams });
  const metrics = eventMetrics(registry);
  const dependencies = { transport, service, producer: service, logger, metrics };
  const running = new Set<Relay | Subscription>();
  const track = <R extends Relay | Subscription>(item: R): R => {
    const stop = item.stop;
    const tracked = {
      ...item,
      stop: async () => {
        running.delete(tracked);
        await stop();
      },
    } as R;
    running.add(tracked);
    return tracked;
  };
  return {
    transport: transport.kind,
    publisher: {
      publish: (envelopes) =>
        transport.publish(
          envelopes.map((e) => ({ topic: e.topic, key: e.key, value: encodeEnvelope(e) })),
        ),
    },
    subscribe: async (options) => track(await subscribe(options, dependencies)),
    startRelay: (options) => track(startRelay(options, dependencies)),
    readiness: transport.readiness,
    close: async () => {
      await Promise.all([...running].map((item) => item.stop()));
      await transport.close();
    },
  };
}

async function connectTransport({
  service,
  config,
  redis,
  logger,
  redisStreams,
}: Pick<EventBusOptions, 'service' | 'config' | 'redis' | 'logger' | 'redisStreams'>) {
  if (config.EVENT_TRANSPORT === 'kafka') {
    return connectKafka({ ...kafkaSettingsOf(service, config), logger });
  }
  if (!redis) {
    throw new ConfigError(service, [
      { field: 'REDIS_URL', reason: 'required when EVENT_TRANSPORT is redis' },
    ]);
  }
  return connectRedisStreams({ redis, logger, ...redisStreams });
}
