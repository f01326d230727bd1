import { describe, expect, it } from 'vitest';
import { catalog } from '../catalog.js';
import { createServiceMetrics } from './metrics.js';

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
