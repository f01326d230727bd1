import type { ConnectorOptions } from '@google-cloud/cloud-sql-connector';
import type { Logger } from 'pino';
import { type CloudSqlDatabase, cloudSqlTargetOf, connectCloudSql, createDatabase } from './db.js';

/**
 * The read replica's pool a service's configuration names: `DATABASE_READ_URL`, else the Cloud
 * SQL connector to `CLOUD_SQL_READ_INSTANCE` as the primary's IAM user and database, with
 * `DATABASE_READ_POOL_MAX` connections. `undefined` without either, and when the connector cannot
 * start: a replica that is down must not keep the service from starting, its reads use the primary.
 */
export async function openReadReplica(
  config: Readonly<Record<string, unknown>>,
  options: {
    readonly applicationName: string;
    readonly logger: Logger;
    readonly connector?: ConnectorOptions;
  },
): Promise<CloudSqlDatabase | undefined> {
  const max = Number(config.DATABASE_READ_POOL_MAX ?? 5);
  const applicationName = `${options.applicationName}-reads`;
  if (typeof config.DATABASE_READ_URL === 'string') {
    const sql = createDatabase({ url: config.DATABASE_READ_URL, max, applicationName });
    return { sql, close: (timeout = 5) => sql.end({ timeout }) };
  }
  const primary = cloudSqlTargetOf(config);
  if (!primary || typeof config.CLOUD_SQL_READ_INSTANCE !== 'string') return undefined;
  const target = { ...primary, instanceConnectionName: config.CLOUD_SQL_READ_INSTANCE };
  try {
    return await connectCloudSql({ target, max, applicationName, connector: options.connector });
  } catch (error) {
    options.logger.warn(
      { err: error, instance: target.instanceConnectionName },
      'read replica not reachable at start: lag-tolerant reads use the primary until the next start',
    );
    return undefined;
  }
}
