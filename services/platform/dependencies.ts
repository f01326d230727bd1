import type { ConnectorOptions } from '@google-cloud/cloud-sql-connector';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServiceDefinition } from '../catalog.js';
import { type Database, databaseReadiness, openDatabase } from './db.js';
import { createGraphDriver, graphReadiness } from './graph.js';
import type { ReadinessCheck } from './health.js';
import { migrateKitTables, migrateService } from './migrations.js';
import { createObjectStorage, type ObjectStorage } from './object-storage.js';
import { openReadReplica } from './read-database.js';
import { createReadPool, type ReadPool } from './read-replica.js';
import { createRedis, readRedisCa, redisReadiness } from './redis.js';
import { type Closer, closeAll } from './shutdown.js';

/** The data store clients of one service, their readiness checks and how to close them. */
export interface Dependencies {
  readonly db?: Database;
  /** Lag-tolerant reads: on the read replica when one is configured and keeps up, else on `db`. */
  readonly reads?: ReadPool;
  readonly redis?: Redis;
  /** The Neo4j driver, when it is the graph backend. */
  readonly graph?: Driver;
  /** The bucket over the S3 API, when the service declares object storage and names an endpoint. */
  readonly objectStorage?: ObjectStorage;
  readonly readiness: Record<string, ReadinessCheck>;
  /** In the order they should close. */
  readonly closers: Closer[];
}

export interface DependencyOptions {
  /** Cloud SQL connector options (SQL Admin API endpoint, credentials); defaults are Google's. */
  readonly cloudSqlConnector?: ConnectorOptions;
  /** Where the read pool's lag gauge and fallback counter go (the service's registry). */
  readonly registry?: Registry;
}

/**
 * Connects what the configuration names: PostgreSQL (a URL or the Cloud SQL connector, then the
 * service's migrations from `services/<name>/migrations/` when its catalog entry has some, and the
 * kit's tables), Redis, Neo4j when it is the graph backend, and the object storage bucket. On
 * failure, whatever was opened is closed again before the error propagates.
 */
export async function connectDependencies(
  definition: ServiceDefinition,
  config: Readonly<Record<string, unknown>>,
  logger: Logger,
  options: DependencyOptions = {},
): Promise<Dependencies> {
  const { name } = definition;
  const deps: {
    db?: Database;
    reads?: ReadPool;
    redis?: Redis;
    graph?: Driver;
    objectStorage?: ObjectStorage;
  } & Pick<Dependencies, 'readiness' | 'closers'> = {
    readiness: {},
    closers: [],
  };
  try {
    const database = await openDatabase(config, {
      max: Number(config.DATABASE_POOL_MAX ?? 10),
      applicationName: name,
      connector: options.cloudSqlConnector,
    });
    if (database) {
      const db = database.sql;
      deps.db = db;
      deps.closers.push({ name: 'postgres', close: () => database.close(5) });
      deps.readiness.postgres = databaseReadiness(db);
      // Not in readiness: a replica that is down or behind sends reads to the primary instead.
      const replica = await openReadReplica(config, {
        applicationName: name,
        logger,
        connector: options.cloudSqlConnector,
      });
      if (replica)
        deps.closers.push({ name: 'postgres read replica', close: () => replica.close(5) });
      deps.reads = createReadPool({
        primary: db,
        replicaOnceConnected: replica?.pool,
        maxLagSeconds: Number(config.DATABASE_READ_MAX_LAG_SECONDS ?? 30),
        checkIntervalMs: Number(config.DATABASE_READ_CHECK_INTERVAL_MS ?? 5_000),
        registry: options.registry,
      });
      await deps.reads.check();
      // The kit's tables (idempotency keys, outbox, processed events) in every service database.
      if (definition.migrations) await migrateService(db, name, logger);
      else await migrateKitTables(db, logger);
    }
    if (typeof config.REDIS_URL === 'string') {
      const caFile = config.REDIS_CA_CERT_FILE;
      const redis = createRedis({
        url: config.REDIS_URL,
        keyPrefix: `aia:${name}:`,
        logger,
        tlsCa: typeof caFile === 'string' ? readRedisCa(name, caFile) : undefined,
      });
      deps.redis = redis;
      deps.closers.push({
        name: 'redis',
        close: () => redis.quit().catch(() => redis.disconnect()),
      });
      deps.readiness.redis = redisReadiness(redis);
      await redis.connect().catch((error: Error) => {
        logger.warn({ err: error }, 'redis not reachable at start; retrying in the background');
      });
    } else if (definition.dataStores.includes('redis')) {
      logger.warn(
        'REDIS_URL is not set: rate limiting admits every request and Redis-backed features are off',
      );
    }
    if (config.GRAPH_BACKEND === 'neo4j') {
      const driver = createGraphDriver({
        uri: String(config.NEO4J_URI),
        user: String(config.NEO4J_USER),
        password: String(config.NEO4J_PASSWORD),
      });
      deps.graph = driver;
      deps.closers.push({ name: 'neo4j', close: () => driver.close() });
      deps.readiness.neo4j = graphReadiness(driver);
    }
    const objectStorage = definition.dataStores.includes('objectStorage')
      ? createObjectStorage(config)
      : undefined;
    if (objectStorage) {
      deps.objectStorage = objectStorage;
      deps.closers.push({
        name: 'object storage',
        close: async () => objectStorage.client.destroy(),
      });
    } else if (definition.dataStores.includes('objectStorage')) {
      logger.warn('S3_ENDPOINT and S3_BUCKET are not set: object storage is off');
    }
    return deps;
  } catch (error) {
    await closeAll(deps.closers, () => {});
    throw error;
  }
}
