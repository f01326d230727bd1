import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonOf, kitApp } from '../../test/harness/kit-app.js';
import type { AppEnv } from './types.js';

const api = new Hono<AppEnv>();
api.get('/accounts/:id', (c) => {
  c.get('logger').info(
    { DATABASE_URL: 'postgres://u:hunter2@db/x', password: 'p4ss' },
    'looked up',
  );
  return c.json({ id: c.req.param('id') });
});

describe('logs', () => {
  it('writes one JSON line per request with its request id, and never secret values', async () => {
    const { app, logs } = kitApp({ routes: api });
    await app.request('/v1/accounts/7', {
      headers: { 'X-Request-Id': 'req-1', Authorization: 'Bearer sekrit-token' },
    });
    const completed = logs.lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({
      level: 'info',
      service: 'test-service',
      requestId: 'req-1',
      method: 'GET',
      path: '/v1/accounts/7',
      status: 200,
    });
    expect(logs.lines.find((line) => line.msg === 'looked up')).toMatchObject({
      requestId: 'req-1',
      DATABASE_URL: '[redacted]',
      password: '[redacted]',
    });
    expect(logs.text).not.toMatch(/hunter2|p4ss|sekrit-token/);
  });
});

describe('metrics', () => {
  it('serves default process metrics and HTTP metrics by route, method and status', async () => {
    const { app } = kitApp({ routes: api });
    await app.request('/v1/accounts/7');
    await app.request('/v1/accounts/8');
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    const counted = text.split('\n').find((line) => line.startsWith('http_requests_total{'));
    for (const label of [
      'method="GET"',
      'status="200"',
      'route="/v1/accounts/:id"',
      'service="test-service"',
    ]) {
      expect(counted).toContain(label);
    }
    expect(counted).toMatch(/\} 2$/);
  });

  it('has latency bucket boundaries exactly at 0.5 s and 2 s', async () => {
    const { app } = kitApp({ routes: api });
    await app.request('/v1/accounts/7');
    const text = await (await app.request('/metrics')).text();
    const bounds = [...text.matchAll(/http_request_duration_seconds_bucket\{le="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(bounds).toContain('0.5');
    expect(bounds).toContain('2');
    expect(bounds).toContain('5');
  });
});

describe('health', () => {
  const up = async () => {};
  const down = async () => {
    throw new Error('connect ECONNREFUSED 10.20.0.5:6379');
  };
  const hangs = () => new Promise<never>(() => {});

  it('answers /healthz without consulting dependencies', async () => {
    const { app } = kitApp({ readiness: { postgres: down } });
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('is ready when every dependency answers', async () => {
    const { app } = kitApp({ readiness: { postgres: up, redis: up } });
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' } },
    });
  });

  it('answers 503 naming the failing dependency, logging the cause but not serving it', async () => {
    const { app, logs } = kitApp({ readiness: { postgres: up, redis: down } });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.failing).toEqual(['redis']);
    expect(body.detail).toBe('not ready: redis (unavailable)');
    expect(text).not.toContain('10.20.0.5');
    const logged = logs.lines.find((line) => line.msg === 'readiness check failed');
    expect(logged).toMatchObject({
      dependency: 'redis',
      err: { message: 'connect ECONNREFUSED 10.20.0.5:6379' },
    });
  });

  it('stays ready (200, degraded) when only an optional dependency fails', async () => {
    const { app } = kitApp({
      readiness: { postgres: up, redis: down },
      optionalReadiness: ['redis'],
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({
      status: 'degraded',
      degraded: ['redis'],
      checks: { redis: { status: 'down' }, postgres: { status: 'up' } },
    });
  });

  it('an optional dependency does not hide a required one that fails', async () => {
    const { app } = kitApp({
      readiness: { postgres: down, redis: down },
      optionalReadiness: ['redis'],
    });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).failing).toEqual(['postgres']);
  });

  it('fails a check that does not answer within its timeout', async () => {
    const { app } = kitApp({ readiness: { neo4j: hangs } });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).detail).toBe('not ready: neo4j (timed out after 200 ms)');
  });

  it('reports not ready while draining', async () => {
    const { app } = kitApp({ readiness: { postgres: up }, isDraining: () => true });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).detail).toBe('shutting down');
  });

  it('serves /info with name, version, revision and flags', async () => {
    const { app } = kitApp();
    expect(await (await app.request('/info')).json()).toEqual({
      name: 'test-service',
      version: '1.2.3',
      revision: 'abc123',
      environment: 'test',
      featureFlags: { GOVERNANCE_ENABLED: true },
    });
  });
});
