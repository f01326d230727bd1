import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { loadMigrations, migrate } from '../migrations.js';

/** The name the event tables' migrations are recorded under in `aia_schema_migrations`. */
export const EVENT_TABLES_MIGRATIONS = 'events';

/** Where the event tables' migrations are, beside the compiled code as in the sources. */
export const eventTablesMigrationsDir = new URL('./migrations/', import.meta.url);

/**
 * Creates (or completes) `outbox` and `processed_events` in a service's database. Run it after
 * the service's own migrations, in the same migrate step: it is idempotent, forward-only, and
 * safe from several processes at once like every migration.
 */
export async function migrateEventTables(
  sql: Database,
  { logger }: { logger?: Logger } = {},
): Promise<{ applied: string[] }> {
  return migrate(sql, {
    service: EVENT_TABLES_MIGRATIONS,
    migrations: await loadMigrations(eventTablesMigrationsDir),
    logger,
  });
}
