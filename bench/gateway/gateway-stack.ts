import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startPostgres, startRedis } from '../../tools/local-servers/index.js';
import { generateJwtKeyPair } from '../../tools/local-stack/jwt-key-pair.js';
import { signToken } from '../../tools/local-stack/sign-token.js';
import { send } from '../ledger/http-client.js';
import { prepareLedgerFixture } from '../ledger/ledger-fixture.js';
import { type LedgerService, startLedgerService } from '../ledger/ledger-service.js';
import type { Teardown } from '../ledger/teardown.js';
import { type RawServer, startRawServer } from './raw-server-process.js';

/** Options of {@link startGatewayStack}. */
export interface GatewayStackOptions {
  /** The repository root (the services run from there). */
  readonly root: string;
  /** Accounts opened in the ledger; the reads go to them at random. */
  readonly accounts: number;
  /** Each started server is stopped by it, in reverse order. */
  readonly teardown: Teardown;
  readonly onProgress: (message: string) => void;
}

/** Everything the benchmark measures, running. */
export interface GatewayStack {
  readonly gateway: LedgerService;
  readonly governor: LedgerService;
  readonly raw: RawServer;
  readonly postmasterPid: number;
  readonly postgresVersion: string;
  readonly accountIds: readonly string[];
  /** Subject `bench`, scope `ledger:read`: what a client reading balances holds. */
  readonly readToken: string;
  /** The governor's answer to one account read: the raw server answers with it. */
  readonly sampleBody: string;
}

/**
 * Starts PostgreSQL and Redis (tools/local-servers), the economic governor and the gateway in
 * front of it (each `services/main.ts <service>` in a process of its own, as production runs
 * them, with Redis for their rate limiters and the event bus), opens and funds the accounts, and
 * starts the raw `node:http` server answering the governor's own answer to an account read.
 */
export async function startGatewayStack(options: GatewayStackOptions): Promise<GatewayStack> {
  const { root, teardown, onProgress } = options;
  const { signal } = teardown;
  const workDir = await mkdtemp(join(tmpdir(), 'gateway-bench-'));
  teardown.add('remove the temporary directory', () =>
    rm(workDir, { recursive: true, force: true }),
  );
  // mkdtemp makes it 0700; when root, PostgreSQL runs as `postgres` and must enter it.
  await chmod(workDir, 0o711);

  onProgress('starting PostgreSQL and Redis');
  const [database, redis] = await Promise.all([
    startPostgres({ dataDir: join(workDir, 'pgdata'), persistent: true, onProgress }),
    startRedis({ dir: join(workDir, 'redis') }),
  ]);
  teardown.add('stop PostgreSQL', () => database.stop());
  teardown.add('stop Redis', () => redis.stop());
  const admin = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  teardown.add('close the admin connection', () => admin.end({ timeout: 5 }));
  await admin.unsafe('create database ledger');
  await admin.unsafe('create database gateway');
  const [version] = await admin<{ server_version: string }[]>`show server_version`;
  const urlOf = (name: string): string => {
    const url = new URL(database.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };

  const keys = await generateJwtKeyPair();
  const shared = {
    root,
    jwtPublicKeys: keys.JWT_PUBLIC_KEYS,
    poolMax: 10,
    signal,
  };
  // startLedgerService sets RATE_LIMIT_MAX to 100,000,000 a window: the benchmark measures routing,
  // not the limiter refusing, though the limiter still runs (a Redis call per request).
  const env = { REDIS_URL: redis.url };
  onProgress('starting economic-governor');
  const governor = await startLedgerService({ ...shared, databaseUrl: urlOf('ledger'), env });
  teardown.add('stop economic-governor', () => governor.stop());
  onProgress('starting aia-api (the gateway) in front of it');
  const gateway = await startLedgerService({
    ...shared,
    service: 'aia-api',
    // Its own tables: identities and the audit chain (the reads measured here write no record).
    databaseUrl: urlOf('gateway'),
    env: {
      ...env,
      JWT_SIGNING_KEY: keys.JWT_SIGNING_KEY,
      ECONOMIC_GOVERNOR_URL: governor.origin.origin,
    },
  });
  teardown.add('stop aia-api', () => gateway.stop());

  const fixture = await prepareLedgerFixture({
    origin: governor.origin,
    jwtSigningKey: keys.JWT_SIGNING_KEY,
    accounts: options.accounts,
    funding: '1',
    concurrency: 20,
    onProgress,
  });
  const readToken = await signToken({
    signingKey: keys.JWT_SIGNING_KEY,
    subject: 'bench',
    scope: 'ledger:read',
    expiresIn: '2h',
  });
  const sampleBody = await readAccount(governor.origin, fixture.accountIds[0] as string, readToken);
  const raw = await startRawServer(sampleBody);
  teardown.add('stop the raw node:http server', () => raw.stop());

  const postmasterPid = Number(
    (await readFile(join(database.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  return {
    gateway,
    governor,
    raw,
    postmasterPid,
    postgresVersion: version?.server_version ?? 'unknown',
    accountIds: fixture.accountIds,
    readToken,
    sampleBody,
  };
}

async function readAccount(origin: URL, id: string, token: string): Promise<string> {
  const agent = new Agent({ keepAlive: false });
  try {
    const response = await send(agent, origin, {
      method: 'GET',
      path: `/v1/accounts/${id}`,
      token,
    });
    if (response.status !== 200)
      throw new Error(
        `GET /v1/accounts/${id} answered ${response.status}: ${response.body.slice(0, 500)}`,
      );
    return response.body;
  } finally {
    agent.destroy();
  }
}
