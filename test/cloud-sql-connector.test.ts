import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamGrantSteps } from '../infra/components/cloudsql/index.js';
import { connectCloudSql } from '../services/platform/db.js';
import type { PostgresServer } from '../tools/local-servers/index.js';
import { type Disposable, startDisposablePostgres } from './harness/disposable-servers.js';
import { type FakeCloudSql, startFakeCloudSql } from './harness/fake-cloud-sql.js';

/*
 * The kit's Cloud SQL connector mode against a local stand-in of Cloud SQL (SQL Admin API and
 * server proxy on 127.0.0.1:3307, test/harness/fake-cloud-sql.ts) in front of a real PostgreSQL
 * set up as Cloud SQL sets it up: an admin in cloudsqlsuperuser (CREATEROLE, CREATEDB, not a
 * superuser), password users in cloudsqlsuperuser, IAM users without privileges, databases owned
 * by cloudsqlsuperuser. Then the committed grant steps (infra/components/cloudsql/iam-grants.ts)
 * run as that admin, and service A can no longer reach service B's database.
 */

const INSTANCE = 'aia-test:europe-west1:aia-sql';
const A = { database: 'svc_a', iamUser: 'svc-a-test@aia-test.iam', legacyUser: 'svc_a' };
const B = { database: 'svc_b', iamUser: 'svc-b-test@aia-test.iam', legacyUser: 'svc_b' };
/** The auditors' group role (CLOUD_IAM_GROUP) and a member, as Cloud SQL creates them at login. */
const AUDITORS = 'ledger-auditors@aia-test.dev';
const AUDITOR = 'alice@aia-test.dev';
const TOKENS = { 'token-a': A.iamUser, 'token-b': B.iamUser, 'token-alice': AUDITOR };

let server: Disposable<PostgresServer>;
let fake: FakeCloudSql;

const admin = (database = 'postgres') => {
  const url = new URL(server.adminUrl);
  url.username = 'cloudsql_admin';
  url.password = 'admin-password';
  url.pathname = `/${database}`;
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
};

const asService = (token: keyof typeof TOKENS, database: string, api = fake) =>
  connectCloudSql({
    applicationName: 'cloud-sql-connector-test',
    max: 2,
    target: { instanceConnectionName: INSTANCE, ipType: 'PRIVATE', user: TOKENS[token], database },
    connector: { sqlAdminAPIEndpoint: api.apiEndpoint, auth: api.auth(token) },
  });

beforeAll(async () => {
  server = await startDisposablePostgres();
  // As Cloud SQL: the server proxy has authenticated IAM users before PostgreSQL sees them.
  await writeFile(
    join(server.dataDir, 'pg_hba.conf'),
    [A.iamUser, B.iamUser, AUDITOR]
      .map((user) => `host all "${user}" 127.0.0.1/32 trust`)
      .join('\n') + '\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  const root = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const statement of [
      'CREATE ROLE cloudsqlsuperuser CREATEROLE CREATEDB',
      "CREATE ROLE cloudsql_admin LOGIN PASSWORD 'admin-password' CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser",
      "CREATE ROLE svc_a LOGIN PASSWORD 'legacy-a' CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser",
      "CREATE ROLE svc_b LOGIN PASSWORD 'legacy-b' CREATEROLE CREATEDB IN ROLE cloudsqlsuperuser",
      `CREATE ROLE "${A.iamUser}" LOGIN`,
      `CREATE ROLE "${B.iamUser}" LOGIN`,
      `CREATE ROLE "${AUDITORS}" NOLOGIN`,
      `CREATE ROLE "${AUDITOR}" LOGIN IN ROLE "${AUDITORS}"`,
      'CREATE DATABASE svc_a OWNER cloudsqlsuperuser',
      'CREATE DATABASE svc_b OWNER cloudsqlsuperuser',
      'SELECT pg_reload_conf()',
    ]) {
      await root.unsafe(statement);
    }
  } finally {
    await root.end();
  }
  for (const { database, legacyUser } of [A, B]) {
    const url = new URL(server.adminUrl);
    url.username = legacyUser;
    url.password = legacyUser === 'svc_a' ? 'legacy-a' : 'legacy-b';
    url.pathname = `/${database}`;
    const legacy = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await legacy`create table ledger (id int primary key, secret text)`;
    await legacy`insert into ledger values (1, ${`${database} data`})`;
    await legacy.end();
  }
  fake = await startFakeCloudSql({
    instanceConnectionName: INSTANCE,
    postgresPort: server.port,
    tokens: TOKENS,
  });
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await server?.stop();
});

describe('Cloud SQL connector mode', () => {
  it('runs queries as the IAM user through the connector, with a certificate from the SQL Admin API', async () => {
    const { sql, close } = await asService('token-a', 'postgres');
    try {
      const [row] = await sql`select current_user as user, 6 * 7 as answer`;
      expect(row).toEqual({ user: A.iamUser, answer: 42 });
    } finally {
      await close();
    }
    expect(fake.requests).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET .*\/instances\/aia-sql\/connectSettings/),
        expect.stringMatching(/^POST .*\/instances\/aia-sql:generateEphemeralCert/),
      ]),
    );
  });

  it('reconnects through the connector after the server closed its connections', async () => {
    const { sql, close } = await asService('token-a', 'postgres');
    try {
      await sql`select 1`;
      const root = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
      await root`select pg_terminate_backend(pid) from pg_stat_activity where usename = ${A.iamUser}`;
      await root.end();
      // A query racing the termination may fail; the next connection is dialled afresh.
      await expect
        .poll(() => sql`select 2 as two`.catch((error: Error) => error.message), { timeout: 5_000 })
        .toEqual([{ two: 2 }]);
    } finally {
      await close();
    }
  });

  it('refuses a server whose certificate names another instance', async () => {
    await fake.stop();
    const impostor = await startFakeCloudSql({
      instanceConnectionName: INSTANCE,
      postgresPort: server.port,
      tokens: TOKENS,
      presentedInstance: 'aia-test:someone-elses-sql',
    });
    try {
      const { sql, close } = await asService('token-a', 'postgres', impostor);
      try {
        await expect(sql`select 1`).rejects.toThrow(
          'Certificate had CN aia-test:someone-elses-sql, expected aia-test:aia-sql',
        );
      } finally {
        await close();
      }
    } finally {
      await impostor.stop();
      fake = await startFakeCloudSql({
        instanceConnectionName: INSTANCE,
        postgresPort: server.port,
        tokens: TOKENS,
      });
    }
  });
});

describe('per-service grants for IAM users', () => {
  it('without them, any IAM user reaches any database (CONNECT belongs to PUBLIC)', async () => {
    const { sql, close } = await asService('token-a', B.database);
    try {
      await expect(sql`select 1 as one`).resolves.toEqual([{ one: 1 }]);
    } finally {
      await close();
    }
  });

  it('with them, a service owns its database and cannot connect to another', async () => {
    for (const step of iamGrantSteps([
      { service: 'svc-a', ...A },
      { service: 'svc-b', ...B },
    ])) {
      const sql = admin(step.database);
      try {
        for (const statement of step.statements) await sql.unsafe(statement);
      } finally {
        await sql.end();
      }
    }
    const own = await asService('token-a', A.database);
    try {
      // The legacy user's data is the service's now, and it can migrate its own schema.
      await expect(own.sql`select secret from ledger`).resolves.toEqual([{ secret: 'svc_a data' }]);
      await own.sql`create table if not exists migrated (id int)`;
      await expect(own.sql`create role intruder`).rejects.toThrow(/permission denied/);
    } finally {
      await own.close();
    }
    const other = await asService('token-a', B.database);
    try {
      await expect(other.sql`select secret from ledger`).rejects.toThrow(
        `permission denied for database "${B.database}"`,
      );
    } finally {
      await other.close();
    }
    // The old password login, a cloudsqlsuperuser member, is off.
    const url = new URL(server.adminUrl);
    url.username = 'svc_b';
    url.password = 'legacy-b';
    url.pathname = '/svc_a';
    const legacy = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await expect(legacy`select 1`).rejects.toThrow(/not permitted to log in/);
    await legacy.end();
  });

  it('an auditor reads the audited database, tables created later too, and writes nothing', async () => {
    // Runs after the test above: svc_a belongs to its IAM user and has its `migrated` table. The
    // whole script again, now with the auditors (it is idempotent), as after a first deploy.
    for (const step of iamGrantSteps(
      [
        { service: 'svc-a', ...A },
        { service: 'svc-b', ...B },
      ],
      { role: AUDITORS, databases: [{ database: A.database, owner: A.iamUser }] },
    )) {
      const sql = admin(step.database);
      try {
        for (const statement of step.statements) await sql.unsafe(statement);
      } finally {
        await sql.end();
      }
    }
    const service = await asService('token-a', A.database);
    try {
      // A migration after the grants: the owner's default privileges cover it.
      await service.sql`create table later (id int)`;
      await service.sql`insert into later values (7)`;
    } finally {
      await service.close();
    }
    const audit = await asService('token-alice', A.database);
    try {
      await expect(audit.sql`select secret from ledger`).resolves.toEqual([
        { secret: 'svc_a data' },
      ]);
      await expect(audit.sql`select id from later`).resolves.toEqual([{ id: 7 }]);
      await expect(audit.sql`insert into ledger values (2, 'forged')`).rejects.toThrow(
        'permission denied for table ledger',
      );
      await expect(audit.sql`create table mine (id int)`).rejects.toThrow(/permission denied/);
    } finally {
      await audit.close();
    }
    const elsewhere = await asService('token-alice', B.database);
    try {
      await expect(elsewhere.sql`select 1`).rejects.toThrow(
        `permission denied for database "${B.database}"`,
      );
    } finally {
      await elsewhere.close();
    }
  });
});
