import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { upstreamUrl } from '../../catalog/upstreams.js';
import { serviceDefinition } from '../../catalog.js';
import type { JwtVerifier } from '../../platform/auth.js';
import { type EventBusConfig, kafkaSettingsOf } from '../../platform/events/env.js';
import { connectKafkaTopicReader } from '../../platform/events/kafka-topic-reader.js';
import { kafkaPartitionsOf } from '../../platform/events/partitioning.js';
import { connectRedisTopicReader } from '../../platform/events/redis-topic-reader.js';
import type { TopicReader } from '../../platform/events/topic-reader.js';
import { createStreamHub, type StreamHub } from './stream-hub.js';
import { orchestratorTaskAccess } from './task-access.js';

/** `/v1` paths the kit leaves to the hub, which authenticates the upgrade itself (header or subprotocol). */
export const STREAM_UNAUTHENTICATED = { prefix: '/v1/stream', methods: ['GET'] } as const;

/**
 * The gateway's hub as its configuration allows: over the event bus it runs on, Kafka
 * (EVENT_TRANSPORT=kafka, read without a consumer group as the gateway's KafkaUser) or Redis
 * Streams (REDIS_URL). Undefined, said once, on Redis without REDIS_URL: `/v1/stream` is not served.
 * @throws ConfigError when the Kafka settings are incomplete (as the event bus would).
 */
export function gatewayStream({
  config,
  redis,
  verify,
  registry,
  logger,
  allowedOrigins = [],
}: {
  config: Readonly<Record<string, unknown>> & EventBusConfig;
  redis: Redis | undefined;
  verify: JwtVerifier;
  registry: Registry;
  logger: Logger;
  allowedOrigins?: readonly string[];
}): StreamHub | undefined {
  const reader = topicReader(config, redis, logger);
  if (!reader) {
    logger.warn(
      { transport: config.EVENT_TRANSPORT ?? 'redis' },
      '/v1/stream is off: live events on the Redis Streams bus need REDIS_URL',
    );
    return undefined;
  }
  return createStreamHub({
    reader,
    verify,
    registry,
    logger,
    allowedOrigins,
    taskAccess: orchestratorTaskAccess(
      upstreamUrl(serviceDefinition('agent-orchestrator'), config),
    ),
  });
}

/** The fan-out reader of the bus the configuration names; undefined on Redis without a client. */
function topicReader(
  config: EventBusConfig,
  redis: Redis | undefined,
  logger: Logger,
): TopicReader | undefined {
  if (config.EVENT_TRANSPORT === 'kafka')
    return connectKafkaTopicReader(kafkaSettingsOf('aia-api', config), {
      partitionsOf: kafkaPartitionsOf(config.ENVIRONMENT),
      logger,
    });
  return redis ? connectRedisTopicReader({ redis, logger }) : undefined;
}
