import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPublicKeys, testToken } from '../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../test/harness/kit-app.js';
import { useTestRedis } from '../../test/harness/redis.js';
import { findFreePort } from '../../tools/local-servers/free-port.js';
import { createJwtVerifier } from './auth.js';
import { createRedis } from './redis.js';
import type { AppEnv } from './types.js';

const api = new Hono<AppEnv>().get('/ping', (c) => c.text('pong'));
const testRedis = useTestRedis();
let redis: Redis;

beforeAll(async () => {
  redis = createRedis({ url: testRedis.url, keyPrefix: testRedis.keyPrefix });
  await redis.connect();
});
afterAll(() => redis.quit());

const from = (client: string) => ({ headers: { 'X-Forwarded-For': client } });
const limited = (limit: number, windowMs: number, keyPrefix: string) =>
  kitApp({ routes: api, redis, rateLimit: { limit, windowMs, keyPrefix, trustedProxyHops: 1 } })
    .app;

describe('Redis sliding-window rate limiter', () => {
  it('admits exactly the limit when many requests arrive at once', async () => {
    const app = limited(10, 60_000, 'concurrent:');
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => app.request('/v1/ping', from('10.0.0.1'))),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const refused = responses.find((res) => res.status === 429);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(refused?.headers.get('RateLimit-Remaining')).toBe('0');
    expect((await jsonOf(refused)).detail).toMatch(/^too many requests: retry after \d+ s$/);
  });

  it('counts down the remaining budget in headers', async () => {
    const app = limited(3, 60_000, 'headers:');
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/v1/ping', from('10.0.0.2'));
      remaining.push(res.headers.get('RateLimit-Remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
  });

  it('admits requests again once the window has slid past', async () => {
    const app = limited(2, 500, 'recovery:');
    expect((await app.request('/v1/ping', from('10.0.0.3'))).status).toBe(200);
    expect((await app.request('/v1/ping', from('10.0.0.3'))).status).toBe(200);
    expect((await app.request('/v1/ping', from('10.0.0.3'))).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 650));
    expect((await app.request('/v1/ping', from('10.0.0.3'))).status).toBe(200);
  });

  it('keeps separate budgets per client', async () => {
    const app = limited(1, 60_000, 'per-client:');
    expect((await app.request('/v1/ping', from('10.0.0.4'))).status).toBe(200);
    expect((await app.request('/v1/ping', from('10.0.0.4'))).status).toBe(429);
    expect((await app.request('/v1/ping', from('10.0.0.5'))).status).toBe(200);
  });

  it('keeps separate budgets per authenticated caller, whatever address they share', async () => {
    const verify = createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    });
    const { app } = kitApp({
      routes: api,
      redis,
      verify,
      rateLimit: { limit: 1, keyPrefix: 'per-subject:' },
    });
    const as = async (subject: string) => ({
      headers: { Authorization: `Bearer ${await testToken({ subject })}` },
    });
    expect((await app.request('/v1/ping', await as('alice'))).status).toBe(200);
    expect((await app.request('/v1/ping', await as('alice'))).status).toBe(429);
    expect((await app.request('/v1/ping', await as('bob'))).status).toBe(200);
  });

  it('does not limit health and metrics endpoints', async () => {
    const app = limited(1, 60_000, 'health:');
    for (let i = 0; i < 3; i++) {
      expect((await app.request('/healthz')).status).toBe(200);
      expect((await app.request('/metrics')).status).toBe(200);
    }
  });

  describe('when Redis is unreachable', () => {
    let down: Redis;
    beforeAll(async () => {
      down = createRedis({ url: `redis://127.0.0.1:${await findFreePort()}` });
      await down.connect().catch(() => {});
    });
    afterAll(() => down.disconnect());

    it('fails open: admits the request', async () => {
      const { app } = kitApp({
        routes: api,
        redis: down,
        rateLimit: { failMode: 'open', limit: 1 },
      });
      expect((await app.request('/v1/ping')).status).toBe(200);
      expect((await app.request('/v1/ping')).status).toBe(200);
    });

    it('fails closed: answers 503 saying the limiter is unavailable', async () => {
      const { app } = kitApp({ routes: api, redis: down, rateLimit: { failMode: 'closed' } });
      const res = await app.request('/v1/ping');
      expect(res.status).toBe(503);
      expect((await jsonOf(res)).detail).toBe('rate limiter unavailable');
    });
  });
});
