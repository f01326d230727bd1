import neo4j from 'neo4j-driver';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/index.js';
import { appErrorFromDatabase, isDatabaseUnavailable } from './database-errors.js';
import { createDatabase, type Database } from './db.js';
import type { ValidationError } from './errors.js';

const database = useTestDatabase('database_errors');
let sql: Database;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'database-errors-test' });
  await sql`create table things (
    id int primary key,
    owner text not null check (length(owner) <= 4),
    amount numeric(3, 0),
    details jsonb)`;
});
afterAll(() => sql.end());

/** The error PostgreSQL raises for `statement`, as the driver delivers it. */
const refusal = (statement: Promise<unknown>) =>
  statement.then(
    () => {
      throw new Error('the statement succeeded');
    },
    (error: unknown) => error,
  );

describe('database errors as HTTP answers', () => {
  it('a check constraint → 422 naming the column the constraint is named for', async () => {
    const error = await refusal(sql`insert into things (id, owner) values (1, 'too long')`);
    const mapped = appErrorFromDatabase(error) as ValidationError;
    expect(mapped.status).toBe(422);
    expect(mapped.issues[0]?.field).toBe('owner');
  });

  it('a numeric overflow → 422 (not a 500)', async () => {
    const error = await refusal(sql`insert into things (id, owner, amount) values (2, 'a', 1000)`);
    expect(appErrorFromDatabase(error)?.status).toBe(422);
  });

  it('text jsonb cannot hold (an unpaired surrogate) → 422', async () => {
    const error = await refusal(
      sql`insert into things (id, owner, details) values (3, 'a', ${sql.json({ owner: 'x\ud800y' })})`,
    );
    expect(appErrorFromDatabase(error)?.status).toBe(422);
  });

  it('a duplicate key → 409 naming the column', async () => {
    await sql`insert into things (id, owner) values (4, 'a')`;
    const error = await refusal(sql`insert into things (id, owner) values (4, 'b')`);
    const mapped = appErrorFromDatabase(error);
    expect(mapped?.status).toBe(409);
    expect(mapped?.message).toBe('id already exists');
    expect(mapped?.message).not.toContain('4');
  });

  it('an unreachable server → 503 with Retry-After', async () => {
    const nowhere = postgres('postgres://nobody@127.0.0.1:1/none', { connect_timeout: 1 });
    const error = await refusal(nowhere`select 1`);
    await nowhere.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const mapped = appErrorFromDatabase(error);
    expect(mapped?.status).toBe(503);
    expect(mapped?.headers['Retry-After']).toBe('1');
  });

  it('a graph database Neo4j cannot reach or lost → unavailable, 503', async () => {
    for (const code of [neo4j.error.SERVICE_UNAVAILABLE, neo4j.error.SESSION_EXPIRED]) {
      const error = new neo4j.Neo4jError(
        'no routing servers available',
        code,
        '08000',
        'connection exception',
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(appErrorFromDatabase(error)?.status).toBe(503);
    }
    // A Cypher mistake is no outage.
    const syntax = new neo4j.Neo4jError(
      'Invalid input',
      'Neo.ClientError.Statement.SyntaxError',
      '42001',
      'syntax error',
    );
    expect(isDatabaseUnavailable(syntax)).toBe(false);
  });

  it('a bug (syntax error, unknown table) stays a server fault', async () => {
    const error = await refusal(sql`select * from no_such_table`);
    expect(appErrorFromDatabase(error)).toBeUndefined();
    expect(appErrorFromDatabase(new Error('boom'))).toBeUndefined();
  });
});
