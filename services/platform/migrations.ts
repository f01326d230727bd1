import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Database } from './db.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_NAME = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Thrown when migrations cannot be applied safely; nothing was changed. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Where a service's migrations are, beside its compiled code as in the sources. */
/** Connections of the migrate Job's pool (services/migrate.ts): migrations run one at a time. */
export const MIGRATION_POOL_SIZE = 1;

export const migrationsDirOf = (service: string): URL =>
  new URL(`../${service}/migrations/`, import.meta.url);

/** The kit's own tables (`idempotency_keys`, `outbox`, `processed_events`), in every service database. */
export const KIT_MIGRATIONS_DIR = new URL('./kit-migrations/', import.meta.url);

/**
 * Brings a service's database up to date: its own migrations (from `migrationsDirOf(service)`),
 * then the kit's (tracked as service `kit`; written with `if not exists`, so a table a service
 * created itself first is adopted as it is).
 */
export async function migrateService(
  sql: Database,
  service: string,
  logger?: Logger,
): Promise<{ applied: string[] }> {
  const own = await migrate(sql, {
    service,
    migrations: await loadMigrations(migrationsDirOf(service)),
    logger,
  });
  const kit = await migrateKitTables(sql, logger);
  return { applied: [...own.applied, ...kit.applied.map((name) => `kit/${name}`)] };
}

/** Applies the kit's migrations (tracked as service `kit`). */
export async function migrateKitTables(
  sql: Database,
  logger?: Logger,
): Promise<{ applied: string[] }> {
  return migrate(sql, {
    service: 'kit',
    migrations: await loadMigrations(KIT_MIGRATIONS_DIR),
    logger,
  });
}

/**
 * Reads `NNN_description.sql` files from `dir`, ordered by version. A missing or empty directory
 * is an error (a build that left the SQL behind must not start against an unmigrated database),
 * as are a badly named file and a duplicate version.
 */
export async function loadMigrations(dir: string | URL): Promise<Migration[]> {
  const shown = dir instanceof URL ? fileURLToPath(dir) : dir;
  const missing = () =>
    new MigrationError(
      `no migrations in ${shown}: the service expects NNN_name.sql files there (npm run build copies them beside the compiled code)`,
    );
  const files = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw missing();
    throw error;
  });
  if (!files.some((file) => file.endsWith('.sql'))) throw missing();
  const migrations: Migration[] = [];
  for (const file of files.filter((f) => f.endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`${file}: expected a name like 001_create_accounts.sql`);
    const sql = await readFile(new URL(file, withSlash(dir)), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`${file}: version ${version} is used by two files`);
    }
    migrations.push({ version, name: file, sql, checksum: sha256(sql) });
  }
  return migrations;
}

/**
 * Applies pending migrations for `service` in one transaction under a transaction-scoped advisory
 * lock, so it is safe to run twice and from several processes at once: the second waits, then
 * finds nothing to do. The lock is one for all services, since services sharing a database also
 * share the bookkeeping table. Forward-only: an applied file whose content changed is refused.
 */
export async function migrate(
  sql: Database,
  {
    service,
    migrations,
    logger,
  }: { service: string; migrations: readonly Migration[]; logger?: Logger },
): Promise<{ applied: string[] }> {
  if (migrations.length === 0) return { applied: [] };
  return sql
    .begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtextextended('aia:migrations', 0))`;
      await tx`
      create table if not exists aia_schema_migrations (
        service    text        not null,
        version    integer     not null,
        name       text        not null,
        checksum   text        not null,
        applied_at timestamptz not null default now(),
        primary key (service, version)
      )`;
      const rows = await tx<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from aia_schema_migrations where service = ${service}`;
      const done = new Map(rows.map((row) => [row.version, row]));
      for (const row of rows) {
        const file = migrations.find((m) => m.version === row.version);
        if (!file)
          logger?.warn(
            { migration: row.name },
            'database has a migration this build does not know',
          );
        else if (file.checksum !== row.checksum) {
          throw new MigrationError(
            `${row.name} was changed after it was applied; migrations are forward-only, add a new file instead`,
          );
        }
      }
      const applied: string[] = [];
      for (const migration of migrations.filter((m) => !done.has(m.version))) {
        await tx.unsafe(migration.sql);
        await tx`
        insert into aia_schema_migrations (service, version, name, checksum)
        values (${service}, ${migration.version}, ${migration.name}, ${migration.checksum})`;
        applied.push(migration.name);
      }
      if (applied.length > 0) logger?.info({ applied }, 'migrations applied');
      return applied;
    })
    .then((applied) => ({ applied }));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const withSlash = (dir: string | URL) => {
  const href = dir instanceof URL ? dir.href : new URL(`file://${dir}`).href;
  return new URL(href.endsWith('/') ? href : `${href}/`);
};
