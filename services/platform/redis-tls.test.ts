import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { type Disposable, startDisposableTlsRedis } from '../../test/harness/disposable-servers.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { findFreePort, type RedisServer } from '../../tools/local-servers/index.js';
import { catalog } from '../catalog.js';
import { loadConfig } from './config.js';
import { type RunningService, startService } from './runtime.js';

// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const database = useTestDatabase('redis_tls_gateway');

/** Memorystore's shape: TLS only, a CA of its own, AUTH. */
let redis: Disposable<RedisServer> & { readonly caFile: string };
const running: RunningService[] = [];

beforeAll(async () => {
  redis = await startDisposableTlsRedis();
});
afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await redis?.stop();
});

/** Starts the gateway on its test database and the TLS Redis; keeps its log lines. */
async function gateway(extra: Record<string, string>) {
  const lines: string[] = [];
  const logDestination = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const service = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      READINESS_TIMEOUT_MS: '1000',
      ...testJwtEnv,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      ...extra,
    },
    logDestination,
  });
  running.push(service);
  const redisCheck = async () => {
    const body = (await (await fetch(`${service.url}/readyz`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    return body.checks.redis?.status;
  };
  return { service, redisCheck, log: () => lines.join('') };
}

describe('the kit on a Redis with TLS from its own CA and AUTH (Memorystore)', () => {
  it('connects and reports Redis up when REDIS_CA_CERT_FILE names the server CA', async () => {
    const { redisCheck } = await gateway({ REDIS_CA_CERT_FILE: redis.caFile });
    expect(await redisCheck()).toBe('up');
  });

  it('without the CA file, fails the Redis readiness check and logs the certificate error', async () => {
    const { redisCheck, log } = await gateway({});
    expect(await redisCheck()).toBe('down');
    expect(log()).toMatch(/self-signed certificate in certificate chain/);
  });

  it('refuses to start when the CA file cannot be read, naming REDIS_CA_CERT_FILE', async () => {
    const missing = join(tmpdir(), 'no-such-dir', 'ca.crt');
    await expect(gateway({ REDIS_CA_CERT_FILE: missing })).rejects.toThrow(
      `REDIS_CA_CERT_FILE: cannot read ${missing} (ENOENT)`,
    );
    const notPem = join(tmpdir(), `redis-ca-${process.pid}.txt`);
    await writeFile(notPem, 'placeholder');
    try {
      await expect(gateway({ REDIS_CA_CERT_FILE: notPem })).rejects.toThrow(
        `REDIS_CA_CERT_FILE: ${notPem} holds no PEM certificate`,
      );
    } finally {
      await rm(notPem, { force: true });
    }
  });

  it('refuses a CA file with a Redis URL that is not TLS', () => {
    expect(() =>
      loadConfig('aia-api', catalog['aia-api'].env, {
        PORT: '8000',
        ...testJwtEnv,
        DATABASE_URL: database.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_CA_CERT_FILE: '/etc/aia/redis-ca/ca.crt',
      }),
    ).toThrow('REDIS_CA_CERT_FILE: is set, but REDIS_URL is not a rediss:// (TLS) URL');
  });
});

describe("a Redis whose certificate names its IP in the subject CN only (Memorystore's)", () => {
  const servers: Disposable<RedisServer>[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  const readinessAgainst = async (commonName: string) => {
    const server = await startDisposableTlsRedis({ commonNameOnly: commonName });
    servers.push(server);
    const { service, log } = await gateway({
      REDIS_URL: server.url,
      REDIS_CA_CERT_FILE: server.caFile,
    });
    const body = (await (await fetch(`${service.url}/readyz`)).json()) as {
      checks: Record<string, { status: string }>;
    };
    return { status: body.checks.redis?.status, log };
  };

  it('is trusted when the CN is the address the URL names', async () => {
    expect((await readinessAgainst('127.0.0.1')).status).toBe('up');
  });

  it('is refused when the CN names another address, though the CA is trusted', async () => {
    const { status, log } = await readinessAgainst('10.9.9.9');
    expect(status).toBe('down');
    expect(log()).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });
});
