import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, useTestDatabase } from '../../test/harness/databases.js';
import { serviceDefinition, serviceNames } from '../catalog.js';
import { createDatabase, type Database } from './db.js';
import {
  loadMigrations,
  type Migration,
  MigrationError,
  migrate,
  migrationsDirOf,
} from './migrations.js';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const ok = join(fixtures, 'migrations/ok');
const run = promisify(execFile);

describe('forward-only migrations', () => {
  const database = useTestDatabase('migrations');
  let sql: Database;
  beforeAll(() => {
    sql = createDatabase({ url: database.url, applicationName: 'migrations-test' });
  });
  afterAll(() => sql.end());

  it('loads files in version order with checksums', async () => {
    const migrations = await loadMigrations(ok);
    expect(migrations.map((m) => m.name)).toEqual([
      '001_create_accounts.sql',
      '002_create_transfers.sql',
    ]);
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies pending migrations once, then finds nothing to do', async () => {
    const migrations = await loadMigrations(ok);
    expect(await migrate(sql, { service: 'ledger', migrations })).toEqual({
      applied: ['001_create_accounts.sql', '002_create_transfers.sql'],
    });
    expect(await migrate(sql, { service: 'ledger', migrations })).toEqual({ applied: [] });
    const [row] =
      await sql`select count(*)::int as n from aia_schema_migrations where service = 'ledger'`;
    expect(row?.n).toBe(2);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const migrations = await loadMigrations(ok);
    const edited = migrations.map((m) =>
      m.version === 1 ? { ...m, checksum: 'f'.repeat(64) } : m,
    );
    await expect(migrate(sql, { service: 'ledger', migrations: edited })).rejects.toThrow(
      new MigrationError(
        '001_create_accounts.sql was changed after it was applied; migrations are forward-only, add a new file instead',
      ),
    );
  });

  it('applies nothing when one migration of a batch fails', async () => {
    const migrations = await loadMigrations(join(fixtures, 'migrations/broken'));
    await expect(migrate(sql, { service: 'broken', migrations })).rejects.toThrow(
      /a_table_that_does_not_exist/,
    );
    const [row] = await sql`select to_regclass('half_done') is null as absent`;
    expect(row?.absent).toBe(true);
    const [count] =
      await sql`select count(*)::int as n from aia_schema_migrations where service = 'broken'`;
    expect(count?.n).toBe(0);
  });

  it('rejects a badly named migration file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(dir, 'create_things.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/create_things\.sql: expected a name like/);
    await rm(dir, { recursive: true });
  });
});

describe('a service whose migrations did not come with its build', () => {
  it('refuses to start: a missing folder is an error naming where it looked', async () => {
    const dir = join(tmpdir(), `missing-migrations-${process.pid}`);
    await expect(loadMigrations(dir)).rejects.toThrow(
      new RegExp(`no migrations in ${dir}: the service expects NNN_name.sql files there`),
    );
  });

  it('refuses to start: a folder without SQL files is an error too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    await writeFile(join(dir, 'README.md'), 'not a migration');
    await expect(loadMigrations(dir)).rejects.toBeInstanceOf(MigrationError);
    await rm(dir, { recursive: true });
  });

  it('each service with migrations in the catalog has them in its sources, and only those', async () => {
    for (const name of serviceNames) {
      const dir = migrationsDirOf(name);
      if (serviceDefinition(name).migrations) {
        expect((await loadMigrations(dir)).length, name).toBeGreaterThan(0);
        expect(serviceDefinition(name).dataStores, name).toContain('postgres');
      } else {
        await expect(loadMigrations(dir), name).rejects.toBeInstanceOf(MigrationError);
      }
    }
  });
});

describe('two services migrating one database at once', () => {
  /** The same files, renamed so that each service creates tables of its own. */
  const forService = (migrations: Migration[], name: string) =>
    migrations.map((m) => ({
      ...m,
      sql: m.sql.replace(/\b(accounts|transfers)\b/g, `${name}_$1`),
    }));

  it('both apply their own migrations, every time', async () => {
    const migrations = await loadMigrations(ok);
    // The race (both creating the bookkeeping table) is lost only sometimes: run it several times.
    for (let round = 0; round < 5; round++) {
      const database = await createTestDatabase('shared_migrations');
      const clients = [0, 1].map(() =>
        createDatabase({ url: database.url, applicationName: 'shared' }),
      );
      const results = await Promise.all(
        ['alpha', 'beta'].map((service, i) =>
          migrate(clients[i] as Database, { service, migrations: forService(migrations, service) }),
        ),
      );
      await Promise.all(clients.map((sql) => sql.end()));
      await database.drop();
      expect(results.map((r) => r.applied.length)).toEqual([2, 2]);
    }
  });
});

describe('two processes migrating at once', () => {
  const database = useTestDatabase('concurrent_migrations');

  it('both succeed and each migration is applied exactly once', async () => {
    const runner = join(fixtures, 'run-migrations.ts');
    const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
    const [first, second] = await Promise.all([
      run(tsx, [runner, database.url, ok]),
      run(tsx, [runner, database.url, ok]),
    ]);
    const applied = [JSON.parse(first.stdout), JSON.parse(second.stdout)] as string[][];
    expect(applied.flat().sort()).toEqual(['001_create_accounts.sql', '002_create_transfers.sql']);
    const sql = createDatabase({ url: database.url, applicationName: 'check' });
    const rows =
      await sql`select version from aia_schema_migrations where service = 'fixture' order by version`;
    await sql.end();
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
  });
});
