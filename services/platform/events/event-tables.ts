import type { Logger } from 'pino';
import type { Database } from '../db.js';
import { migrateKitTables } from '../migrations.js';

/**
 * Creates (or completes) `outbox` and `processed_events` in a service's database: they are kit
 * tables (`services/platform/kit-migrations/`), which every service with migrations gets after its
 * own. For databases migrated otherwise (tests): idempotent, forward-only, safe from several
 * processes at once like every migration.
 */
export const migrateEventTables = (
  sql: Database,
  { logger }: { logger?: Logger } = {},
): Promise<{ applied: string[] }> => migrateKitTables(sql, logger);
