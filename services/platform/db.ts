import postgres from 'postgres';

export type Database = postgres.Sql;

export interface DatabaseOptions {
  readonly url: string;
  /** Pool size. Default 10. */
  readonly max?: number;
  /** Shown in `pg_stat_activity`. */
  readonly applicationName: string;
}

/**
 * Seconds before reconnecting after the `attempt`-th failure in a row: 0.1 s doubling up to 1 s.
 * The driver's default grows to 20 s (3^n / 100), which kept a service unready for 7–13 s after
 * its database came back from an outage; a connection attempt to a server that is down costs
 * little, so recovery within about a second is worth it.
 */
export const reconnectDelaySeconds = (attempt: number): number => Math.min(0.05 * 2 ** attempt, 1);

/**
 * postgres.js pool. `numeric` and `bigint` come back as strings (exact amounts stay exact);
 * notices are dropped rather than printed to stdout; reconnects back off for at most a second.
 */
export function createDatabase({ url, max = 10, applicationName }: DatabaseOptions): Database {
  return postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 5,
    backoff: reconnectDelaySeconds,
    connection: { application_name: applicationName },
    onnotice: () => {},
  });
}

/** Readiness: one round trip. */
export const databaseReadiness = (sql: Database) => async () => {
  await sql`select 1`;
};
