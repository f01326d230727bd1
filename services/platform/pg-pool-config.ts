import type { ConnectorOptions } from '@google-cloud/cloud-sql-connector';
import { type CloudSqlDialer, cloudSqlTargetOf, dialCloudSql } from './db.js';
import { DependencyUnavailableError } from './dependency-unavailable.js';

/**
 * Where a node-postgres (`pg`) pool connects: the fields of `pg.PoolConfig` that say so, to spread
 * into `new pg.Pool(...)` or a library's pool options (pg-boss's constructor passes them on).
 */
export interface PgConnection {
  /** With `DATABASE_URL`: the URL, its `sslmode` read as libpq reads it ({@link libpqTls}). */
  readonly connectionString?: string;
  readonly ssl?: false | { readonly rejectUnauthorized: false };
  /** With the Cloud SQL connector: a stream to the instance per connection (after `open()`). */
  readonly stream?: CloudSqlDialer['stream'];
  readonly user?: string;
  readonly database?: string;
}

/** The node-postgres settings of a service's database, and what must run around its pool. */
export interface PgPoolConfig {
  /** Known at once, so a pool can be made before anything is dialled. */
  readonly connection: PgConnection;
  /**
   * Before the pool's first connection: starts the Cloud SQL connector (its first ephemeral
   * certificate is fetched now). Nothing to do for a URL.
   * @throws DependencyUnavailableError naming CLOUD_SQL_INSTANCE when the connector cannot start.
   */
  open(): Promise<void>;
  /** After the pool has ended: stops the connector's certificate refreshes, if one started. */
  close(): void;
}

/**
 * The node-postgres pool config of this service's database, from the same variables as the kit's
 * postgres.js pool (db.ts `openDatabase`): `DATABASE_URL`, else the Cloud SQL connector
 * (`CLOUD_SQL_INSTANCE`, `CLOUD_SQL_IP_TYPE`, `DATABASE_USER`, `DATABASE_NAME`) with IAM database
 * login as the same user. For libraries that keep a `pg` pool of their own, such as pg-boss.
 * `undefined` when the service has no PostgreSQL configured.
 *
 * @example
 * const database = pgPoolConfig(config);
 * if (database) {
 *   const pool = new pg.Pool({ ...database.connection, max: 4 });
 *   await database.open();
 *   // ... on shutdown:
 *   await pool.end();
 *   database.close();
 * }
 */
export function pgPoolConfig(
  config: Readonly<Record<string, unknown>>,
  options: { readonly connector?: ConnectorOptions } = {},
): PgPoolConfig | undefined {
  if (typeof config.DATABASE_URL === 'string') return pgUrlConfig(config.DATABASE_URL);
  const target = cloudSqlTargetOf(config);
  if (!target) return undefined;
  let dialer: CloudSqlDialer | undefined;
  let closed = false;
  return {
    connection: {
      stream: () => {
        if (!dialer)
          throw new Error('pgPoolConfig: open() the Cloud SQL connector before connecting');
        return dialer.stream();
      },
      user: target.user,
      database: target.database,
      // The connector's stream is TLS 1.3 already; the driver's own TLS stays off, as in db.ts.
      ssl: false,
    },
    open: async () => {
      if (dialer) return;
      dialer = await dialCloudSql(target, options.connector).catch((error: unknown) => {
        throw new DependencyUnavailableError(
          'PostgreSQL',
          'CLOUD_SQL_INSTANCE',
          error,
          target.instanceConnectionName,
        );
      });
      // Closed while it was opening: stop what just started.
      if (closed) dialer.close();
    },
    close: () => {
      closed = true;
      dialer?.close();
    },
  };
}

/** A pool config from a `postgres://` URL: nothing to open or close besides the pool. */
export const pgUrlConfig = (connectionString: string): PgPoolConfig => ({
  connection: libpqTls(connectionString),
  open: async () => {},
  close: () => {},
});

/**
 * The TLS a DATABASE_URL asks for, as libpq and the kit's postgres.js pool read it: node-postgres
 * reads `sslmode=require` as verify-full, so a server whose certificate is signed by a CA of its
 * own (as the kit's pool accepts) would be refused by a `pg` pool alone. `require` and `prefer`
 * encrypt without verifying; `verify-ca`/`verify-full` are left to node-postgres.
 */
export function libpqTls(connectionString: string): {
  connectionString: string;
  ssl?: { rejectUnauthorized: false };
} {
  const url = new URL(connectionString);
  const mode = url.searchParams.get('sslmode');
  if (mode !== 'require' && mode !== 'prefer') return { connectionString };
  url.searchParams.delete('sslmode');
  return { connectionString: url.toString(), ssl: { rejectUnauthorized: false } };
}
