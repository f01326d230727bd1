import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testPublicKeys, testToken } from '../../test/harness/jwt.js';
import { createServiceApp } from './app.js';
import { createJwtVerifier } from './auth.js';
import { createLogger } from './logging.js';
import { createServiceMetrics } from './metrics.js';
import type { AppEnv } from './types.js';

const verify = createJwtVerifier({
  publicKeys: testPublicKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
});

const publicRoutes = new Hono<AppEnv>()
  .get('/discovery/card.json', (c) => c.json({ name: 'card', requestId: c.get('requestId') }))
  .post('/discovery/echo', async (c) => c.text(await c.req.text()));

/** The kit's app with `publicRoutes`; without Redis, `failMode` decides what the limiter does. */
const appWith = (failMode: 'open' | 'closed') =>
  createServiceApp({
    info: { name: 'test', version: '1', revision: 'r', environment: 'test', featureFlags: {} },
    logger: createLogger({
      service: 'test',
      level: 'silent',
      redactKeys: [],
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    }),
    metrics: createServiceMetrics({ service: 'test' }),
    readiness: {},
    limits: {
      bodyBytes: 64,
      requestTimeoutMs: 1_000,
      rateLimit: { redis: undefined, limit: 100, windowMs: 60_000, failMode },
    },
    verify,
    routes: new Hono<AppEnv>().get('/private', (c) => c.text('private')),
    publicRoutes,
  });
const app = appWith('open');

describe("a module's public routes", () => {
  it('answer without a token, outside /v1, with a request id and secure headers', async () => {
    const res = await app.request('/discovery/card.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; requestId: string };
    expect(body.name).toBe('card');
    expect(res.headers.get('X-Request-Id')).toBe(body.requestId);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('leave /v1 behind its authentication', async () => {
    expect((await app.request('/v1/private')).status).toBe(401);
    const token = await testToken({ subject: 'ada' });
    const res = await app.request('/v1/private', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it("sit behind the API's body limit", async () => {
    const fits = await app.request('/discovery/echo', { method: 'POST', body: 'x'.repeat(64) });
    expect(fits.status).toBe(200);
    const over = await app.request('/discovery/echo', { method: 'POST', body: 'x'.repeat(65) });
    expect(over.status).toBe(413);
  });

  it("sit behind the API's rate limiter, which never stands before /healthz", async () => {
    // Without Redis a limiter that fails closed refuses: the public route is behind it.
    const closed = appWith('closed');
    expect((await closed.request('/discovery/card.json')).status).toBe(503);
    expect((await closed.request('/healthz')).status).toBe(200);
    expect((await closed.request('/info')).status).toBe(200);
  });

  it('leave unknown paths a 404 problem', async () => {
    const res = await app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
  });
});
