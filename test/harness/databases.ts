import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import './provided-context.js';

/** A database of its own on the test server. */
export interface TestDatabase {
  readonly name: string;
  /** Same server and credentials as the admin URL, this database. */
  readonly url: string;
  /** `DROP DATABASE ... WITH (FORCE)`, closing open connections. Idempotent. */
  drop(): Promise<void>;
}

const MAX_IDENTIFIER = 63;

async function asAdmin(statement: string): Promise<void> {
  const sql = postgres(inject('postgresAdminUrl'), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

/**
 * Creates a database named `<label>_<16 hex>` (label lower-cased, reduced to [a-z0-9_], whole
 * name at most 63 characters) on the server from `inject('postgresAdminUrl')`. Default label
 * `test`.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const suffix = `_${randomBytes(8).toString('hex')}`;
  const cleanLabel = label.toLowerCase().replace(/[^a-z0-9_]/g, '_') || 'test';
  const name = cleanLabel.slice(0, MAX_IDENTIFIER - suffix.length) + suffix;
  await asAdmin(`create database "${name}"`);
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop: () => {
      dropped ??= asAdmin(`drop database if exists "${name}" with (force)`);
      return dropped;
    },
  };
}

/**
 * Gives the calling test file a database of its own: created in `beforeAll`, dropped in
 * `afterAll`. Read `url` and `name` inside tests or hooks; before `beforeAll` they throw.
 */
export function useTestDatabase(label = 'test'): { readonly name: string; readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(label);
  });
  afterAll(async () => {
    await database?.drop();
  });
  const current = (): TestDatabase => {
    if (database) return database;
    throw new Error(
      `useTestDatabase('${label}'): the database is created in beforeAll; ` +
        'read .url / .name inside a test or hook, not at module or describe level.',
    );
  };
  return {
    get name() {
      return current().name;
    },
    get url() {
      return current().url;
    },
  };
}
