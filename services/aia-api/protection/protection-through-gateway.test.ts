import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJwtEnv, testToken } from '../../../test/harness/jwt.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import { aiaApi } from '../definition.js';
import { aiaApiModule } from '../module.js';
import { startScriptedUpstream } from '../testing/scripted-upstream.js';
import { auditRecordPages, readAuditRecords } from './audit/audit-store.js';
import { verifyChain } from './audit/verify-chain.js';
import { useGatewayDatabase } from './testing/gateway-database.js';

const ALLOWED = 'https://app.aia.example';
const A2A_LIMIT = 2;
const database = useGatewayDatabase('protection_gateway');
const redis = useTestRedis();
let upstream: Awaited<ReturnType<typeof startScriptedUpstream>>;
let gateway: RunningService;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  gateway = await startService('aia-api', {
    env: {
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      ECONOMIC_GOVERNOR_URL: upstream.url,
      AGENT_ORCHESTRATOR_URL: upstream.url,
      CORS_ALLOWED_ORIGINS: ALLOWED,
      GATEWAY_RATE_LIMIT_A2A_MAX: String(A2A_LIMIT),
    },
    module: aiaApiModule,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

describe('protection, wired into the gateway', () => {
  it('answers a preflight from an allowed origin on the running gateway', async () => {
    const res = await fetch(`${gateway.url}/v1/ledger/transfers`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
  });

  it('proxies a write without the caller’s cookie and records it on the chain', async () => {
    const before = (await readAuditRecords(database.sql, 0, 1_000)).length;
    const token = await testToken({ subject: 'user:ada', scope: 'ledger:write' });
    const res = await fetch(`${gateway.url}/v1/ledger/echo`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Cookie: 'session=abc',
        'Content-Type': 'application/json',
        'X-Request-Id': 'req-through-gateway',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as { headers: Record<string, string> };
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    const [record] = await readAuditRecords(database.sql, before, 10);
    expect(record).toMatchObject({
      actor: 'user:ada',
      action: 'POST /v1/ledger/*',
      target: '/v1/ledger/echo',
      request_id: 'req-through-gateway',
      outcome: { status: 200, class: 'success' },
    });
    expect(await verifyChain(auditRecordPages(database.sql))).toMatchObject({ intact: true });
  });

  it('refuses a forged cross-site form POST before the upstream sees it', async () => {
    const seenBefore = upstream.seen.length;
    const res = await fetch(`${gateway.url}/v1/a2a/agents/root`, {
      method: 'POST',
      headers: {
        Origin: 'https://evil.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'method=SendMessage',
    });
    expect(res.status).toBe(403);
    expect(upstream.seen.length).toBe(seenBefore);
  });

  it('limits A2A calls per caller with 429 and Retry-After', async () => {
    const statuses = [];
    for (let n = 0; n <= A2A_LIMIT; n++)
      statuses.push((await fetch(`${gateway.url}/v1/a2a/agents/echo`)).status);
    expect(statuses.slice(0, A2A_LIMIT)).toEqual(Array(A2A_LIMIT).fill(200));
    const refused = await fetch(`${gateway.url}/v1/a2a/agents/echo`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
  });
});

describe("the gateway's configuration", () => {
  it('refuses CORS_ALLOWED_ORIGINS=* on production, naming the variable', () => {
    const load = () =>
      loadConfig('aia-api', aiaApi.env, {
        ENVIRONMENT: 'production',
        PORT: '8000',
        ...testJwtEnv,
        DATABASE_URL: 'postgres://u:p@db/aia',
        REDIS_URL: 'redis://redis:6379',
        CORS_ALLOWED_ORIGINS: '*',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /CORS_ALLOWED_ORIGINS: must list exact origins when ENVIRONMENT is production/,
    );
  });
});
