import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { kitApp } from '../../test/harness/kit-app.js';
import { catalog } from '../catalog.js';
import { createServiceMetrics } from './metrics.js';
import type { AppEnv } from './types.js';

describe('the HTTP metrics', () => {
  it('count the requests callers make, never the probes and scrapes', async () => {
    const routes = new Hono<AppEnv>();
    routes.get('/answer', (c) => c.text('broken', 500));
    const metrics = createServiceMetrics({ service: 'aia-api' });
    const { app } = kitApp({ service: 'aia-api', metrics, routes });
    for (let probe = 0; probe < 5; probe++) {
      for (const path of ['/healthz', '/readyz', '/metrics']) await app.request(path);
    }
    await app.request('/v1/answer');
    await app.request('/v1/nothing-here');
    const text = await registry(app);
    const counted = text.split('\n').filter((line) => line.startsWith('http_requests_total{'));
    expect(counted.map((line) => line.replace(/,?service="aia-api"/, ''))).toEqual([
      'http_requests_total{method="GET",route="/v1/answer",status="500",ok="false"} 1',
      'http_requests_total{method="GET",route="/v1/*",status="404",ok="false"} 1',
    ]);
    expect(text).not.toMatch(/route="\/(healthz|readyz|metrics)"/);
  });
});

const registry = async (app: Hono<AppEnv>) => (await app.request('/metrics')).text();

describe('declared domain metrics', () => {
  it('are exported from the start, every label combination at zero', async () => {
    const { registry } = createServiceMetrics({
      service: 'economic-governor',
      declared: catalog['economic-governor'].metrics,
    });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE token_transactions_total counter');
    const series = text.split('\n').filter((line) => line.startsWith('token_transactions_total{'));
    expect(series).toHaveLength(6);
    expect(series).toContainEqual(
      'token_transactions_total{ledger="AIA_GOV",result="failed",service="economic-governor"} 0',
    );
  });

  it('are declared in the catalog for the governor and the orchestrator', () => {
    expect(catalog['economic-governor'].metrics.map((m) => m.name)).toEqual([
      'token_transactions_total',
    ]);
    expect(catalog['agent-orchestrator'].metrics.map((m) => m.name)).toEqual(['agent_runs_total']);
    expect(catalog['aia-api'].metrics).toEqual([]);
  });
});
