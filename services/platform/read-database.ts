import type { ConnectorOptions } from '@google-cloud/cloud-sql-connector';
import type { Logger } from 'pino';
import {
  type CloudSqlDatabase,
  cloudSqlTargetOf,
  connectCloudSql,
  createDatabase,
  type Database,
} from './db.js';

/** The read replica's pool, which the Cloud SQL connector may only reach after the service started. */
export interface ReadReplica {
  /** The pool once the replica is connected; `undefined` while the connector still retries. */
  readonly pool: () => Database | undefined;
  /** Stops retrying, then ends the pool (and the connector) if it was connected. */
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * Milliseconds before the connector tries the replica again after its `attempt`-th failure in a
 * row: 1 s doubling up to a minute. A replica that is down must not cost the service more than a
 * SQL Admin API call a minute, and one that comes back is used within a minute.
 */
export const replicaRetryDelayMs = (attempt: number): number =>
  Math.min(1_000 * 2 ** (attempt - 1), 60_000);

/**
 * The read replica's pool a service's configuration names: `DATABASE_READ_URL`, else the Cloud
 * SQL connector to `CLOUD_SQL_READ_INSTANCE` as the primary's IAM user and database, with
 * `DATABASE_READ_POOL_MAX` connections. `undefined` without either. A replica the connector
 * cannot reach at start must not keep the service from starting: its reads use the primary while
 * the connector retries in the background ({@link replicaRetryDelayMs}), each failure logged.
 *
 * @example
 * const replica = await openReadReplica(config, { applicationName: 'economic-governor', logger });
 * const reads = createReadPool({ primary: sql, replicaOnceConnected: replica?.pool, registry });
 */
export async function openReadReplica(
  config: Readonly<Record<string, unknown>>,
  options: {
    readonly applicationName: string;
    readonly logger: Logger;
    readonly connector?: ConnectorOptions;
  },
): Promise<ReadReplica | undefined> {
  const max = Number(config.DATABASE_READ_POOL_MAX ?? 5);
  const applicationName = `${options.applicationName}-reads`;
  if (typeof config.DATABASE_READ_URL === 'string') {
    const sql = createDatabase({ url: config.DATABASE_READ_URL, max, applicationName });
    return { pool: () => sql, close: (timeout = 5) => sql.end({ timeout }) };
  }
  const primary = cloudSqlTargetOf(config);
  if (!primary || typeof config.CLOUD_SQL_READ_INSTANCE !== 'string') return undefined;
  const target = { ...primary, instanceConnectionName: config.CLOUD_SQL_READ_INSTANCE };

  let connected: CloudSqlDatabase | undefined;
  let attempting: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  let failures = 0;
  const attempt = async () => {
    try {
      const database = await connectCloudSql({
        target,
        max,
        applicationName,
        connector: options.connector,
      });
      if (closed) {
        await database.close(0);
        return;
      }
      connected = database;
      if (failures > 0)
        options.logger.info(
          { instance: target.instanceConnectionName, failures },
          'read replica connected: lag-tolerant reads may use it again',
        );
    } catch (error) {
      if (closed) return;
      failures += 1;
      const delay = replicaRetryDelayMs(failures);
      options.logger.warn(
        { err: error, instance: target.instanceConnectionName, retryInMs: delay },
        'read replica not reachable: lag-tolerant reads use the primary until it is',
      );
      retry = setTimeout(() => {
        attempting = attempt();
      }, delay);
      retry.unref();
    }
  };
  attempting = attempt();
  await attempting;
  return {
    pool: () => connected?.sql,
    close: async (timeout = 5) => {
      closed = true;
      clearTimeout(retry);
      await attempting;
      await connected?.close(timeout);
    },
  };
}
