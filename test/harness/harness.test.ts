import { Redis } from 'ioredis';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase, useTestDatabase } from './databases.js';
import { createTestRedisNamespace, useTestRedis } from './redis.js';

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe<T[]>(text))];
  } finally {
    await sql.end();
  }
}

const databaseExists = async (name: string): Promise<boolean> =>
  (await query(inject('postgresAdminUrl'), `select 1 from pg_database where datname = '${name}'`))
    .length === 1;

describe('createTestDatabase', () => {
  it('creates distinct, isolated databases and drop() removes them', async () => {
    const [first, second] = await Promise.all([
      createTestDatabase('Isolation-Check'),
      createTestDatabase('isolation-check'),
    ]);
    try {
      expect(first.name).toMatch(/^isolation_check_[0-9a-f]{16}$/);
      expect(first.name).not.toBe(second.name);
      expect(new URL(first.url).pathname).toBe(`/${first.name}`);
      await query(first.url, 'create table only_here (id int)');
      const lookup = "select to_regclass('only_here')::text as found";
      expect(await query(first.url, lookup)).toEqual([{ found: 'only_here' }]);
      expect(await query(second.url, lookup)).toEqual([{ found: null }]);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
    expect(await databaseExists(first.name)).toBe(false);
    expect(await databaseExists(second.name)).toBe(false);
    await expect(first.drop()).resolves.toBeUndefined();
  });

  it('keeps names within 63 characters whatever the label', async () => {
    const database = await createTestDatabase('x'.repeat(100));
    try {
      expect(database.name).toHaveLength(63);
      expect(await databaseExists(database.name)).toBe(true);
    } finally {
      await database.drop();
    }
  });
});

describe('useTestDatabase', () => {
  const early = useTestDatabase('early');
  const readEarly = (): string => early.url;
  let collectionTimeError = '';
  try {
    readEarly();
  } catch (error) {
    collectionTimeError = (error as Error).message;
  }
  const database = useTestDatabase('hooked');

  it('throws a clear error when read before beforeAll has run', () => {
    expect(readEarly).not.toThrow();
    expect(collectionTimeError).toMatch(/created in beforeAll.*inside a test or hook/);
  });

  it('provides a database of its own inside tests', async () => {
    hookedName = database.name;
    expect(await query(database.url, 'select current_database() as db')).toEqual([
      { db: hookedName },
    ]);
  });
});

let hookedName = '';
describe('after a useTestDatabase suite', () => {
  it('has dropped its database', async () => {
    expect(hookedName).not.toBe('');
    expect(await databaseExists(hookedName)).toBe(false);
  });
});

const redisKeys = async (pattern: string): Promise<string[]> => {
  const client = new Redis(inject('redisUrl'));
  try {
    return await client.keys(pattern);
  } finally {
    client.disconnect();
  }
};

describe('createTestRedisNamespace', () => {
  it('isolates prefixes and cleanup() removes only its own keys', async () => {
    const mine = createTestRedisNamespace();
    const theirs = createTestRedisNamespace();
    expect(mine.keyPrefix).toMatch(/^test:[0-9a-f]{16}:$/);
    expect(mine.keyPrefix).not.toBe(theirs.keyPrefix);
    const a = new Redis(mine.url, { keyPrefix: mine.keyPrefix });
    const b = new Redis(theirs.url, { keyPrefix: theirs.keyPrefix });
    try {
      await a.set('shared-name', 'mine');
      await b.set('shared-name', 'theirs');
      await a.mset(Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`k${i}`, i])));
      expect(await a.get('shared-name')).toBe('mine');
      expect(await b.get('shared-name')).toBe('theirs');

      await mine.cleanup();
      expect(await redisKeys(`${mine.keyPrefix}*`)).toEqual([]);
      expect(await b.get('shared-name')).toBe('theirs');
    } finally {
      a.disconnect();
      b.disconnect();
      await theirs.cleanup();
    }
    expect(await redisKeys(`${theirs.keyPrefix}*`)).toEqual([]);
  });
});

let hookedPrefix = '';
describe('useTestRedis', () => {
  const redis = useTestRedis();

  it('hands out a URL and prefix usable right away', async () => {
    hookedPrefix = redis.keyPrefix;
    const client = new Redis(redis.url, { keyPrefix: redis.keyPrefix });
    try {
      await client.set('left-behind', '1');
    } finally {
      client.disconnect();
    }
    expect(await redisKeys(`${redis.keyPrefix}*`)).toEqual([`${redis.keyPrefix}left-behind`]);
  });
});

describe('after a useTestRedis suite', () => {
  it('has deleted every key under its prefix', async () => {
    expect(hookedPrefix).not.toBe('');
    expect(await redisKeys(`${hookedPrefix}*`)).toEqual([]);
  });
});
