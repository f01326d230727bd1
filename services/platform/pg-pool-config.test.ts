import { once } from 'node:events';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCloudSql, startFakeCloudSql } from '../../test/harness/fake-cloud-sql.js';
import { DependencyUnavailableError } from './dependency-unavailable.js';
import { libpqTls, pgPoolConfig } from './pg-pool-config.js';

const INSTANCE = 'aia-test:europe-west1:aia-sql';
const IAM_USER = 'agent-orchestrator-test@aia-test.iam';
const CONNECTOR_ENV = {
  CLOUD_SQL_INSTANCE: INSTANCE,
  DATABASE_USER: IAM_USER,
  DATABASE_NAME: 'agent_orchestrator',
};

describe('pgPoolConfig with DATABASE_URL', () => {
  it('connects by the URL, its sslmode read as the kit’s pool reads it', () => {
    const database = pgPoolConfig({
      DATABASE_URL: 'postgres://u:p@10.0.0.3:5432/orchestrator?sslmode=require',
    });
    expect(database?.connection).toEqual({
      connectionString: 'postgres://u:p@10.0.0.3:5432/orchestrator',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('is undefined for a service without PostgreSQL', () => {
    expect(pgPoolConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBeUndefined();
  });
});

describe('libpqTls', () => {
  it('reads sslmode=require as the kit’s pool does: encrypted, not verified', () => {
    expect(libpqTls('postgres://u:p@10.0.0.3:5432/orchestrator?sslmode=require')).toEqual({
      connectionString: 'postgres://u:p@10.0.0.3:5432/orchestrator',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('leaves a URL without TLS, or asking for verification, to node-postgres', () => {
    for (const url of [
      'postgres://u:p@127.0.0.1:5432/db',
      'postgres://u:p@db.example/db?sslmode=verify-full',
    ])
      expect(libpqTls(url)).toEqual({ connectionString: url });
  });
});

describe('pgPoolConfig with the Cloud SQL connector', () => {
  let fake: FakeCloudSql;
  beforeAll(async () => {
    // Nothing here gets past the server proxy's TLS handshake: no PostgreSQL behind it.
    fake = await startFakeCloudSql({
      instanceConnectionName: INSTANCE,
      postgresPort: 1,
      tokens: { 'token-orchestrator': IAM_USER },
      // Its own loopback address: other test files' fakes hold 3307 on theirs.
      address: '127.0.0.2',
    });
  });
  afterAll(() => fake?.stop());

  it('logs in as DATABASE_USER to DATABASE_NAME over the connector’s stream, the driver’s TLS off', async () => {
    const database = pgPoolConfig(CONNECTOR_ENV, {
      connector: { sqlAdminAPIEndpoint: fake.apiEndpoint, auth: fake.auth('token-orchestrator') },
    });
    try {
      expect(database?.connection).toEqual({
        stream: expect.any(Function),
        user: IAM_USER,
        database: 'agent_orchestrator',
        ssl: false,
      });
      // Nothing is dialled until open(): a pool made at build time connects only after it.
      expect(() => database?.connection.stream?.()).toThrow(
        'open() the Cloud SQL connector before connecting',
      );
      expect(fake.requests).toEqual([]);
      await database?.open();
      // The stream is TLS 1.3 to the instance's private address, with a client certificate the
      // SQL Admin API issued for the IAM user: the server proxy admits it.
      const stream = database?.connection.stream?.() as TLSSocket;
      await once(stream, 'secureConnect');
      expect(stream.getProtocol()).toBe('TLSv1.3');
      expect(stream.remoteAddress).toBe('127.0.0.2');
      expect(stream.getCertificate()).toMatchObject({ subject: { CN: IAM_USER } });
      stream.destroy();
    } finally {
      database?.close();
    }
    expect(fake.requests).toContainEqual(
      expect.stringMatching(/^POST .*\/instances\/aia-sql:generateEphemeralCert/),
    );
  });

  it('names CLOUD_SQL_INSTANCE and the instance when the connector cannot start', async () => {
    const refused = pgPoolConfig(CONNECTOR_ENV, {
      connector: { sqlAdminAPIEndpoint: fake.apiEndpoint, auth: fake.auth('unknown-token') },
    })?.open();
    await expect(refused).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(refused).rejects.toThrow(
      `PostgreSQL is not reachable at ${INSTANCE} (CLOUD_SQL_INSTANCE)`,
    );
  });
});
