import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { upstreamUrl } from '../../catalog/upstreams.js';
import { serviceDefinition } from '../../catalog.js';
import type { JwtVerifier } from '../../platform/auth.js';
import { connectRedisTopicReader } from '../../platform/events/redis-topic-reader.js';
import { createStreamHub, type StreamHub } from './stream-hub.js';
import { orchestratorTaskAccess } from './task-access.js';

/** `/v1` paths the kit leaves to the hub, which authenticates the upgrade itself (header or subprotocol). */
export const STREAM_UNAUTHENTICATED = { prefix: '/v1/stream', methods: ['GET'] } as const;

/**
 * The gateway's hub as its configuration allows: over Redis Streams (EVENT_TRANSPORT=redis with
 * REDIS_URL). Undefined otherwise, said once: without a bus, or on Kafka, which has no fan-out
 * reader yet, `/v1/stream` is not served.
 */
export function gatewayStream({
  config,
  redis,
  verify,
  registry,
  logger,
  allowedOrigins = [],
}: {
  config: Readonly<Record<string, unknown>> & { readonly EVENT_TRANSPORT?: string };
  redis: Redis | undefined;
  verify: JwtVerifier;
  registry: Registry;
  logger: Logger;
  allowedOrigins?: readonly string[];
}): StreamHub | undefined {
  if ((config.EVENT_TRANSPORT ?? 'redis') !== 'redis' || !redis) {
    logger.warn(
      { transport: config.EVENT_TRANSPORT ?? 'redis', redis: Boolean(redis) },
      '/v1/stream is off: live events need the Redis Streams bus (REDIS_URL); Kafka has no fan-out reader yet',
    );
    return undefined;
  }
  return createStreamHub({
    reader: connectRedisTopicReader({ redis, logger }),
    verify,
    registry,
    logger,
    allowedOrigins,
    taskAccess: orchestratorTaskAccess(
      upstreamUrl(serviceDefinition('agent-orchestrator'), config),
    ),
  });
}
