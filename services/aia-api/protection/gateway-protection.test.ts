import { Writable } from 'node:stream';
import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPublicKeys, testToken } from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createRedis } from '../../platform/redis.js';
import type { AppEnv } from '../../platform/types.js';
import { auditRecordPages, readAuditRecords } from './audit/audit-store.js';
import type { ChainedAuditRecord } from './audit/chain.js';
import { verifyChain } from './audit/verify-chain.js';
import { type GatewayProtection, gatewayProtection } from './gateway-protection.js';
import { useGatewayDatabase } from './testing/gateway-database.js';

const database = useGatewayDatabase('gateway_protection');
const testRedis = useTestRedis();
let redis: Redis;
let protection: GatewayProtection;
let app: Hono<AppEnv>;
const A2A_LIMIT = 3;
const STREAM_LIMIT = 2;
const CONFLICT = 409;

beforeAll(async () => {
  redis = createRedis({ url: testRedis.url, keyPrefix: testRedis.keyPrefix });
  await redis.connect();
  protection = gatewayProtection({
    allowedOrigins: ['https://app.aia.example'],
    rateLimit: {
      redis,
      windowMs: 60_000,
      failMode: 'closed',
      trustedProxyHops: 1,
      classLimits: { a2a: A2A_LIMIT, stream: STREAM_LIMIT },
    },
    sql: database.sql,
    logger: pino({}, new Writable({ write: (_chunk, _encoding, done) => done() })),
    registry: new Registry(),
  });
  // Stand-ins for the gateway's routes: a proxied prefix, the A2A prefix, a route of its own.
  const routes = new Hono<AppEnv>();
  routes.use('*', protection.api);
  routes.all('/ledger/*', (c) =>
    c.req.path.endsWith('/taken') ? c.json({ taken: true }, CONFLICT) : c.json({ ok: true }, 201),
  );
  routes.all('/a2a/*', (c) => c.json({ jsonrpc: '2.0', result: {} }));
  routes.post('/keys/:id/revoke', (c) => c.body(null, 204));
  app = kitApp({
    routes,
    apiFront: protection.front,
    verify: createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    }),
    unauthenticatedApiPrefixes: ['/v1/a2a'],
    redis,
    rateLimit: { trustedProxyHops: 1 },
  }).app;
});
afterAll(() => redis?.quit());

const bearer = async (subject: string) =>
  `Bearer ${await testToken({ subject, scope: 'ledger:write' })}`;

/** The records written after seq `after`. */
const recordsAfter = (after: number): Promise<ChainedAuditRecord[]> =>
  readAuditRecords(database.sql, after, 100);

describe('the audit of calls through the gateway', () => {
  it('records each state-changing call with actor, action, target, outcome and request id, and no read', async () => {
    const before = (await recordsAfter(0)).length;
    const ada = await bearer('user:ada');
    const created = await app.request('/v1/ledger/transfers', {
      method: 'POST',
      headers: { Authorization: ada, 'X-Request-Id': 'req-audit-1' },
    });
    expect(created.status).toBe(201);
    await app.request('/v1/ledger/accounts/1', { headers: { Authorization: ada } });
    const refused = await app.request('/v1/ledger/names/taken', {
      method: 'PUT',
      headers: { Authorization: ada },
    });
    expect(refused.status).toBe(CONFLICT);
    await app.request('/v1/keys/k-1/revoke', { method: 'POST', headers: { Authorization: ada } });
    await app.request('/v1/a2a/agents/root', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.7' },
      body: '{}',
    });
    const written = await recordsAfter(before);
    expect(written.map((record) => [record.actor, record.action, record.target])).toEqual([
      ['user:ada', 'POST /v1/ledger/*', '/v1/ledger/transfers'],
      ['user:ada', 'PUT /v1/ledger/*', '/v1/ledger/names/taken'],
      ['user:ada', 'POST /v1/keys/:id/revoke', '/v1/keys/k-1/revoke'],
      ['anonymous', 'POST /v1/a2a/*', '/v1/a2a/agents/root'],
    ]);
    expect(written[0]).toMatchObject({
      request_id: 'req-audit-1',
      outcome: { status: 201, class: 'success' },
      details: { route_class: 'api' },
    });
    expect(written[1]?.outcome).toEqual({ status: CONFLICT, class: 'client_error' });
    expect(written[3]?.details).toMatchObject({ route_class: 'a2a' });
    expect(await verifyChain(auditRecordPages(database.sql))).toMatchObject({ intact: true });
  });

  it('records nothing for a call refused before the routes (no token, cross-site form)', async () => {
    const before = (await recordsAfter(0)).length;
    expect((await app.request('/v1/ledger/transfers', { method: 'POST' })).status).toBe(401);
    const forged = await app.request('http://gateway.test/v1/a2a/agents/root', {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expect(forged.status).toBe(403);
    expect(await recordsAfter(before)).toEqual([]);
  });
});

describe('rate limits per caller and route class', () => {
  it("refuses a caller's A2A calls past the class budget with 429 and Retry-After, leaving its REST budget and other callers alone", async () => {
    const from = (client: string) => ({
      method: 'GET',
      headers: { 'X-Forwarded-For': client },
    });
    const statuses = [];
    for (let n = 0; n <= A2A_LIMIT; n++)
      statuses.push((await app.request('/v1/a2a/agents', from('198.51.100.1'))).status);
    expect(statuses).toEqual([...Array(A2A_LIMIT).fill(200), 429]);
    const refused = await app.request('/v1/a2a/agents', from('198.51.100.1'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(refused.headers.get('RateLimit-Limit')).toBe(String(A2A_LIMIT));
    expect((await jsonOf(refused)).type).toBe('urn:aia:problem:rate_limited');
    expect((await app.request('/v1/a2a/agents', from('198.51.100.2'))).status).toBe(200);
  });

  it("counts event streams apart from the same caller's REST calls", async () => {
    const eve = await bearer('user:eve');
    const stream = () =>
      app.request('/v1/ledger/transfers/feed', {
        headers: { Authorization: eve, Accept: 'text/event-stream' },
      });
    expect((await stream()).status).toBe(201);
    expect((await stream()).status).toBe(201);
    expect((await stream()).status).toBe(429);
    const rest = await app.request('/v1/ledger/accounts', { headers: { Authorization: eve } });
    expect(rest.status).toBe(201);
    expect(rest.headers.get('RateLimit-Limit')).toBe('1000');
  });
});
