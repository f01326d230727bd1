import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Disposable,
  startDisposablePostgres,
} from '../../../test/harness/disposable-servers.js';
import { type FakeCloudSql, startFakeCloudSql } from '../../../test/harness/fake-cloud-sql.js';
import type { PostgresServer } from '../../../tools/local-servers/index.js';
import { type CloudSqlDatabase, openDatabase } from '../../platform/db.js';
import { type PgPoolConfig, pgPoolConfig } from '../../platform/pg-pool-config.js';
import { inTransaction } from '../../platform/transactions.js';
import { type HeldRun, RunQueue } from './run-queue.js';

/*
 * The run queue as the stacks run it: no DATABASE_URL, pg-boss's own node-postgres pool and the
 * kit's postgres.js pool both reach PostgreSQL through the Cloud SQL connector with IAM login
 * (test/harness/fake-cloud-sql.ts stands in for the SQL Admin API and the server proxy).
 */

const INSTANCE = 'aia-test:europe-west1:aia-sql';
const IAM_USER = 'agent-orchestrator-test@aia-test.iam';
const DATABASE = 'agent_orchestrator';
const CONFIG = {
  CLOUD_SQL_INSTANCE: INSTANCE,
  CLOUD_SQL_IP_TYPE: 'PRIVATE',
  DATABASE_USER: IAM_USER,
  DATABASE_NAME: DATABASE,
};
/** The application name pg-boss's pool shows in `pg_stat_activity`. */
const QUEUE_APPLICATION = 'agent-orchestrator-runs';

let server: Disposable<PostgresServer>;
let fake: FakeCloudSql;
let kit: CloudSqlDatabase;

const connector = () => ({
  sqlAdminAPIEndpoint: fake.apiEndpoint,
  auth: fake.auth('token-orchestrator'),
});

/** `database`, counting how often the queue closes it. */
const counted = (database: PgPoolConfig) => {
  const counter = { closes: 0 };
  const config: PgPoolConfig = {
    connection: database.connection,
    open: () => database.open(),
    close: () => {
      counter.closes++;
      database.close();
    },
  };
  return { config, counter };
};

const queueSessions = async () => {
  const root = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await root<{ usename: string }[]>`
      select usename from pg_stat_activity where application_name = ${QUEUE_APPLICATION}`;
  } finally {
    await root.end();
  }
};

beforeAll(async () => {
  server = await startDisposablePostgres();
  // As Cloud SQL: the server proxy has authenticated the IAM user before PostgreSQL sees it.
  await writeFile(
    join(server.dataDir, 'pg_hba.conf'),
    `host all "${IAM_USER}" 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n`,
  );
  const root = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await root.unsafe(`CREATE ROLE "${IAM_USER}" LOGIN`);
    // What the committed grant steps give a service: its own database (pg-boss adds a schema).
    await root.unsafe(`CREATE DATABASE ${DATABASE} OWNER "${IAM_USER}"`);
    await root.unsafe('SELECT pg_reload_conf()');
  } finally {
    await root.end();
  }
  fake = await startFakeCloudSql({
    instanceConnectionName: INSTANCE,
    postgresPort: server.port,
    tokens: { 'token-orchestrator': IAM_USER },
    // Its own loopback address: other test files' fakes hold 3307 on theirs.
    address: '127.0.0.3',
  });
  const opened = await openDatabase(CONFIG, {
    applicationName: 'agent-orchestrator',
    max: 2,
    connector: connector(),
  });
  if (!opened) throw new Error('the Cloud SQL configuration opened no database');
  kit = opened;
}, 60_000);

afterAll(async () => {
  await kit?.close();
  await fake?.stop();
  await server?.stop();
});

describe('RunQueue through the Cloud SQL connector', () => {
  it('starts, runs a job enqueued in the kit’s transaction as the IAM user, and closes the connector on stop', async () => {
    const database = pgPoolConfig(CONFIG, { connector: connector() });
    if (!database) throw new Error('the Cloud SQL configuration gave no pool config');
    const { config, counter } = counted(database);
    const queue = new RunQueue({
      database: config,
      heartbeatSeconds: null,
      superviseIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
    });
    const errors: Error[] = [];
    try {
      await queue.start((error) => errors.push(error));
      const held: HeldRun[] = [];
      await queue.work(async (run) => {
        held.push(run);
      });
      const taskId = randomUUID();
      await inTransaction(kit.sql, (tx) => queue.enqueue(tx, taskId));

      await expect.poll(() => held.map((run) => run.taskId), { timeout: 10_000 }).toEqual([taskId]);
      expect(held[0]).toMatchObject({ attempt: 0, last: false });
      await expect
        .poll(async () => (await kit.sql`select state from pgboss.job where id = ${taskId}`)[0], {
          timeout: 10_000,
        })
        .toEqual({ state: 'completed' });
      // pg-boss's pool logged in as the IAM user (no password exists), as the kit's did.
      const sessions = await queueSessions();
      expect(sessions.length).toBeGreaterThan(0);
      expect(new Set(sessions.map((s) => s.usename))).toEqual(new Set([IAM_USER]));
      expect(errors).toEqual([]);
    } finally {
      await queue.stop({ timeoutMs: 1_000 });
    }
    expect(counter.closes).toBe(1);
    expect(await queueSessions()).toEqual([]);
  });

  it('closes the connector on stop also when the queue never started', async () => {
    let closes = 0;
    const queue = new RunQueue({
      database: { connection: { user: IAM_USER }, open: async () => {}, close: () => closes++ },
    });
    await queue.stop();
    expect(closes).toBe(1);
  });
});
