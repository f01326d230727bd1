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
 * postgres.js pool. `numeric` and `bigint` come back as strings (exact amounts stay exact);
 * notices are dropped rather than printed to stdout.
 */
export function createDatabase({ url, max = 10, applicationName }: DatabaseOptions): Database {
  return postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { application_name: applicationName },
    onnotice: () => {},
  });
}

/** Readiness: one round trip. */
export const databaseReadiness = (sql: Database) => async () => {
  await sql`select 1`;
};
