import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { kitApp } from '../../test/harness/kit-app.js';
import { createServiceMetrics } from './metrics.js';
import type { AppEnv } from './types.js';

const api = new Hono<AppEnv>();
api.get('/ping', (c) => c.json({ pong: true }));

const levelsOf = (lines: Record<string, unknown>[], path: string) =>
  lines.filter((line) => line.path === path).map((line) => [line.level, line.msg]);

describe('probe logging', () => {
  it('logs /healthz, /readyz and /metrics at debug, and requests people make at info', async () => {
    const { app, logs } = kitApp({ routes: api });
    for (const path of ['/healthz', '/readyz', '/metrics', '/v1/ping']) await app.request(path);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect(levelsOf(logs.lines, path)).toEqual([['debug', 'probe answered']]);
    }
    expect(levelsOf(logs.lines, '/v1/ping')).toEqual([['info', 'request completed']]);
  });

  it('keeps a not-ready /readyz at debug: the failing check says why, once', async () => {
    let up = false;
    const postgres = async () => {
      if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    const { app, logs } = kitApp({ readiness: { postgres } });
    for (let probe = 0; probe < 3; probe++) expect((await app.request('/readyz')).status).toBe(503);
    up = true;
    expect((await app.request('/readyz')).status).toBe(200);

    expect(levelsOf(logs.lines, '/readyz')).toEqual(Array(4).fill(['debug', 'probe answered']));
    const checks = logs.lines
      .filter((line) => line.dependency === 'postgres')
      .map((line) => [line.level, line.msg]);
    expect(checks).toEqual([
      ['warn', 'readiness check failed'],
      ['debug', 'readiness check still failing'],
      ['debug', 'readiness check still failing'],
      ['info', 'readiness check recovered'],
    ]);
  });

  it('still logs a probe that fails with a server error as an error', async () => {
    const metrics = createServiceMetrics({ service: 'test-service' });
    const { app, logs } = kitApp({
      metrics: {
        ...metrics,
        handler: () => {
          throw new Error('registry broken');
        },
      },
    });
    expect((await app.request('/metrics')).status).toBe(500);
    expect(levelsOf(logs.lines, '/metrics')).toEqual([['error', 'request failed']]);
  });
});
