import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  accessTokenAuth,
  type FakeCloudSql,
  startFakeCloudSql,
} from '../../test/harness/fake-cloud-sql.js';
import { startStreamingReplica } from '../../tools/drill/streaming-replica.js';
import { findFreePort, startPostgres } from '../../tools/local-servers/index.js';
import { serviceDefinition } from '../catalog.js';
import { createDatabase, type Database } from './db.js';
import { openReadReplica } from './read-database.js';
import { createReadPool } from './read-replica.js';

const issuesAt = (env: Record<string, string>, key: string) => {
  const result = serviceDefinition('economic-governor').env.safeParse(env);
  return (result.error?.issues ?? []).filter((issue) => issue.path[0] === key);
};

describe('the read replica settings', () => {
  it('refuse a replica URL without a primary URL, and a replica instance without the connector', () => {
    expect(
      issuesAt(
        {
          CLOUD_SQL_INSTANCE: 'p:r:primary',
          DATABASE_USER: 'u',
          DATABASE_NAME: 'd',
          DATABASE_READ_URL: 'postgres://u:p@replica/d',
        },
        'DATABASE_READ_URL',
      ),
    ).toHaveLength(1);
    expect(
      issuesAt(
        { DATABASE_URL: 'postgres://u:p@primary/d', CLOUD_SQL_READ_INSTANCE: 'p:r:replica' },
        'CLOUD_SQL_READ_INSTANCE',
      ),
    ).toHaveLength(1);
    expect(
      issuesAt(
        {
          DATABASE_URL: 'postgres://u:p@primary/d',
          DATABASE_READ_URL: 'postgres://u:p@replica/d',
        },
        'DATABASE_READ_URL',
      ),
    ).toEqual([]);
  });

  it('open no replica pool when neither is set: reads use the primary', async () => {
    const logger = pino({ level: 'silent' });
    expect(
      await openReadReplica(
        { DATABASE_URL: 'postgres://u:p@primary/d' },
        { applicationName: 'x', logger },
      ),
    ).toBeUndefined();
  });
});

describe('a read replica the connector cannot reach at start', () => {
  const PRIMARY = 'aia-test:europe-west1:aia-sql';
  const REPLICA = 'aia-test:europe-west1:aia-sql-replica';
  const READER = 'reader@aia-test.iam';

  it('is retried in the background, and reads use it once it is reached', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'read-database-test-'));
    // When the tests run as root, PostgreSQL runs as the postgres OS user and must get through.
    await chmod(dir, 0o711);
    const primary = await startPostgres({ dataDir: join(dir, 'primary'), password: 'pw' });
    const closers: (() => Promise<unknown>)[] = [() => primary.stop()];
    try {
      const primarySql = createDatabase({ url: primary.adminUrl, max: 1, applicationName: 't' });
      closers.unshift(() => primarySql.end({ timeout: 1 }));
      await primarySql.unsafe(`create role "${READER}" login`);
      const replica = await startStreamingReplica(primary, 'pw', join(dir, 'replica'));
      closers.unshift(() => replica.stop());
      // As Cloud SQL: the server proxy has authenticated the IAM user before PostgreSQL sees it.
      const hba = join(replica.dataDir, 'pg_hba.conf');
      await writeFile(
        hba,
        `host all "${READER}" 127.0.0.1/32 trust\n${await readFile(hba, 'utf8')}`,
      );
      const replicaAdmin = createDatabase({ url: replica.adminUrl, max: 1, applicationName: 't' });
      await replicaAdmin`select pg_reload_conf()`;
      await replicaAdmin.end({ timeout: 1 });

      // The replica's SQL Admin API does not answer yet: the connector fails at start.
      const apiPort = await findFreePort();
      const reader = await openReadReplica(
        {
          CLOUD_SQL_INSTANCE: PRIMARY,
          CLOUD_SQL_READ_INSTANCE: REPLICA,
          DATABASE_USER: READER,
          DATABASE_NAME: 'postgres',
        },
        {
          applicationName: 'read-database-test',
          logger: pino({ level: 'silent' }),
          connector: {
            sqlAdminAPIEndpoint: `http://127.0.0.1:${apiPort}/`,
            auth: accessTokenAuth('reader-token'),
          },
        },
      );
      if (reader) closers.unshift(() => reader.close(1));
      expect(reader?.pool()).toBeUndefined();
      const registry = new Registry();
      const reads = createReadPool({
        primary: primarySql,
        replicaOnceConnected: reader?.pool,
        checkIntervalMs: 3_600_000,
        registry,
      });
      expect(await connected(registry)).toBe(0);
      expect(await reads.check()).toBe('primary');
      expect(await reads.read(portOf)).toBe(primary.port);

      const fake: FakeCloudSql = await startFakeCloudSql({
        instanceConnectionName: REPLICA,
        postgresPort: replica.port,
        tokens: { 'reader-token': READER },
        // Not the loopback address of another test file's stand-in.
        address: '127.0.0.4',
        apiPort,
      });
      closers.unshift(() => fake.stop());
      await until(async () => (await connected(registry)) === 1);
      expect(await reads.check()).toBe('replica');
      expect(await reads.read(portOf)).toBe(replica.port);
    } finally {
      for (const close of closers) await close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

const portOf = async (sql: Database) => (await sql`select inet_server_port() as port`)[0]?.port;

async function connected(registry: Registry): Promise<number | undefined> {
  return (await registry.getSingleMetric('db_read_replica_connected')?.get())?.values[0]?.value;
}

/** Polls `condition` until it holds; a condition that never holds fails the test by its timeout. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}
