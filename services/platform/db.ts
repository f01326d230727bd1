import {
  Connector,
  AuthTypes as ConnectorAuthTypes,
  IpAddressTypes as ConnectorIpTypes,
  type ConnectorOptions,
  type DriverOptions,
} from '@google-cloud/cloud-sql-connector';
import postgres from 'postgres';
import { DependencyUnavailableError } from './dependency-unavailable.js';

export type Database = postgres.Sql;

export interface DatabaseOptions {
  readonly url: string;
  /** Pool size. Default 10. */
  readonly max?: number;
  /** Shown in `pg_stat_activity`. */
  readonly applicationName: string;
}

/** Where a Cloud SQL connector connects: the `CLOUD_SQL_*` and `DATABASE_*` variables. */
export interface CloudSqlTarget {
  /** `project:region:instance` (`CLOUD_SQL_INSTANCE`). */
  readonly instanceConnectionName: string;
  /** Which of the instance's addresses to dial (`CLOUD_SQL_IP_TYPE`). */
  readonly ipType: 'PRIVATE' | 'PUBLIC' | 'PSC';
  /** The IAM database user: the service account's email without `.gserviceaccount.com`. */
  readonly user: string;
  readonly database: string;
}

export interface CloudSqlDatabaseOptions extends Omit<DatabaseOptions, 'url'> {
  readonly target: CloudSqlTarget;
  /**
   * Passed to the connector. Default: Application Default Credentials (Workload Identity on GKE)
   * and Google's SQL Admin API; tests point it at a local API.
   */
  readonly connector?: ConnectorOptions;
}

/** A pool over the Cloud SQL connector and how to close both. */
export interface CloudSqlDatabase {
  readonly sql: Database;
  /** Ends the pool, then stops the connector's certificate refreshes. */
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * Seconds before reconnecting after the `attempt`-th failure in a row: 0.1 s doubling up to 1 s.
 * The driver's default grows to 20 s (3^n / 100), which kept a service unready for 7–13 s after
 * its database came back from an outage; a connection attempt to a server that is down costs
 * little, so recovery within about a second is worth it.
 */
export const reconnectDelaySeconds = (attempt: number): number => Math.min(0.05 * 2 ** attempt, 1);

const poolOptions = ({ max = 10, applicationName }: Omit<DatabaseOptions, 'url'>) => ({
  max,
  idle_timeout: 30,
  connect_timeout: 5,
  backoff: reconnectDelaySeconds,
  connection: { application_name: applicationName },
  onnotice: () => {},
});

/**
 * postgres.js pool. `numeric` and `bigint` come back as strings (exact amounts stay exact);
 * notices are dropped rather than printed to stdout; reconnects back off for at most a second.
 */
export function createDatabase({ url, ...options }: DatabaseOptions): Database {
  return postgres(url, poolOptions(options));
}

/**
 * A pool that reaches Cloud SQL through Google's connector with IAM database authentication: no
 * password exists; the connector fetches an ephemeral client certificate bound to the pod's
 * Workload Identity token, speaks TLS 1.3 to the instance's server proxy (port 3307) and checks
 * that the server's certificate names this instance. The driver's own TLS stays off because the
 * connector's stream is already encrypted.
 *
 * @example
 * const { sql, close } = await connectCloudSql({
 *   applicationName: 'economic-governor',
 *   target: { instanceConnectionName: 'proj:europe-west1:aia', ipType: 'PRIVATE',
 *     user: 'economic-governor-production@proj.iam', database: 'economic_governor' },
 * });
 */
export async function connectCloudSql({
  target,
  connector: connectorOptions,
  ...options
}: CloudSqlDatabaseOptions): Promise<CloudSqlDatabase> {
  const { stream, close } = await dialCloudSql(target, connectorOptions);
  try {
    // The factory itself, not one stream: every (re)connect of the pool dials afresh
    // (porsager/postgres#938).
    // postgres.js reads `socket` (src/connection.js) but its types do not declare it.
    const socket = { socket: stream };
    const sql = postgres({
      ...poolOptions(options),
      ...socket,
      user: target.user,
      database: target.database,
      ssl: false,
    });
    return {
      sql,
      close: async (timeout = 5) => {
        try {
          await sql.end({ timeout });
        } finally {
          close();
        }
      },
    };
  } catch (error) {
    close();
    throw error;
  }
}

/** A connector's way to the instance: a stream per connection, and how to stop the connector. */
export interface CloudSqlDialer {
  /** Opens one TLS 1.3 stream to the instance's server proxy, logged in as the IAM user. */
  readonly stream: DriverOptions['stream'];
  /** Stops the certificate refreshes and destroys the streams still open: after the pool ended. */
  close(): void;
}

/**
 * Starts a Cloud SQL connector for `target` with IAM database authentication (the first ephemeral
 * certificate is fetched now, so a refused login fails here). Every pool on the instance — the
 * kit's postgres.js, node-postgres under a job queue — dials the same way through this.
 */
export async function dialCloudSql(
  target: CloudSqlTarget,
  connectorOptions?: ConnectorOptions,
): Promise<CloudSqlDialer> {
  const connector = new Connector(connectorOptions);
  // Not closed when this fails: a failed first refresh schedules nothing, and the connector's
  // close() (1.13.0) chains `then` on the failed instance, raising its error again as an
  // unhandled rejection (seen in services/platform/pg-pool-config.test.ts).
  const { stream } = await connector.getOptions({
    instanceConnectionName: target.instanceConnectionName,
    ipType: ConnectorIpTypes[target.ipType],
    authType: ConnectorAuthTypes.IAM,
  });
  return { stream, close: () => connector.close() };
}

/**
 * The Cloud SQL connector target a service's configuration names: `CLOUD_SQL_INSTANCE`,
 * `CLOUD_SQL_IP_TYPE` (default PRIVATE), `DATABASE_USER` and `DATABASE_NAME`. `undefined` without
 * `CLOUD_SQL_INSTANCE` (the env schema then requires `DATABASE_URL`).
 */
export function cloudSqlTargetOf(
  config: Readonly<Record<string, unknown>>,
): CloudSqlTarget | undefined {
  if (typeof config.CLOUD_SQL_INSTANCE !== 'string') return undefined;
  return {
    instanceConnectionName: config.CLOUD_SQL_INSTANCE,
    ipType: (config.CLOUD_SQL_IP_TYPE ?? 'PRIVATE') as CloudSqlTarget['ipType'],
    user: String(config.DATABASE_USER),
    database: String(config.DATABASE_NAME),
  };
}

/**
 * The pool a service's configuration names: `DATABASE_URL`, else the Cloud SQL connector from
 * `CLOUD_SQL_INSTANCE`, `CLOUD_SQL_IP_TYPE`, `DATABASE_USER` and `DATABASE_NAME` (the env schema
 * admits exactly one of the two). `undefined` when the service has no PostgreSQL configured.
 */
export async function openDatabase(
  config: Readonly<Record<string, unknown>>,
  options: Omit<DatabaseOptions, 'url'> & { readonly connector?: ConnectorOptions },
): Promise<CloudSqlDatabase | undefined> {
  if (typeof config.DATABASE_URL === 'string') {
    const sql = createDatabase({ url: config.DATABASE_URL, ...options });
    const database = { sql, close: (timeout = 5) => sql.end({ timeout }) };
    return reachable(database, 'DATABASE_URL', addressOf(config.DATABASE_URL));
  }
  const target = cloudSqlTargetOf(config);
  if (!target) return undefined;
  const database = await connectCloudSql({ ...options, target }).catch((error: unknown) => {
    throw new DependencyUnavailableError(
      'PostgreSQL',
      'CLOUD_SQL_INSTANCE',
      error,
      target.instanceConnectionName,
    );
  });
  return reachable(database, 'CLOUD_SQL_INSTANCE', target.instanceConnectionName);
}

/**
 * One round trip before the service goes on: a database that is down, refuses the login or does
 * not exist is reported by name at start ({@link DependencyUnavailableError}), not as a driver
 * error from the first migration.
 */
async function reachable(
  database: CloudSqlDatabase,
  variable: string,
  address: string | undefined,
): Promise<CloudSqlDatabase> {
  try {
    await database.sql`select 1`;
    return database;
  } catch (error) {
    await database.close(0).catch(() => {});
    throw new DependencyUnavailableError('PostgreSQL', variable, error, address);
  }
}

/** `host:port` of a URL, never its credentials; undefined for one `URL` cannot parse (several hosts). */
function addressOf(url: string): string | undefined {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || 5432}`;
  } catch {
    return undefined;
  }
}

/** Readiness: one round trip. */
export const databaseReadiness = (sql: Database) => async () => {
  await sql`select 1`;
};
