import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServiceDefinition } from '../catalog/types.js';
import { topics } from '../events/topics.js';
import type { Database } from './db.js';
import type { EventBusConfig } from './events/env.js';
import { connectEventBus, type EventBus } from './events/event-bus.js';
import type { ServiceMetrics } from './metrics.js';

/** Whether `service` writes any topic of the catalog (so it has an outbox to relay). */
export const producesEvents = (service: string): boolean =>
  Object.values(topics).some((topic) => (topic.producers as readonly string[]).includes(service));

/**
 * A started service's event bus: connected as its configuration says, relaying its outbox when
 * it produces events and has a database. Locally without REDIS_URL there is none (said once):
 * events stay in the outbox until the service runs with one.
 */
export async function connectServiceEvents({
  definition,
  config,
  redis,
  db,
  logger,
  metrics,
}: {
  definition: ServiceDefinition;
  config: EventBusConfig;
  redis: Redis | undefined;
  db: Database | undefined;
  logger: Logger;
  metrics: ServiceMetrics;
}): Promise<EventBus | undefined> {
  if ((config.EVENT_TRANSPORT ?? 'redis') === 'redis' && !redis) {
    logger.warn(
      'REDIS_URL is not set: the event bus is off; events wait in the outbox until it is set',
    );
    return undefined;
  }
  const bus = await connectEventBus({
    service: definition.name,
    config,
    redis,
    logger,
    registry: metrics.registry,
  });
  if (db && producesEvents(definition.name)) bus.startRelay({ sql: db });
  return bus;
}
