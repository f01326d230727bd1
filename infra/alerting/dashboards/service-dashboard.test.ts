import { describe, expect, it } from 'vitest';
import { catalog, STACKS, serviceNames } from '../../../services/catalog.js';
import type { Dashboard } from './dashboard.js';
import type { Panel } from './panels.js';
import { SERVICE_PANELS, serviceDashboard } from './service-dashboard.js';
import { alteredCatalog } from './test-catalog.js';

const panel = (board: Dashboard, title: string): Panel => {
  const found = board.panels.find((p) => p.title === title);
  if (!found) throw new Error(`${board.uid} has no panel '${title}'`);
  return found;
};

/** The values of the threshold lines a panel draws, ascending. */
const lines = (p: Panel) =>
  p.fieldConfig.defaults.thresholds.steps.flatMap((step) =>
    step.value === null ? [] : [step.value],
  );

const exprs = (p: Panel) => p.targets.map((t) => t.expr);

const cases = STACKS.flatMap((stack) => serviceNames.map((service) => [service, stack] as const));

describe('serviceDashboard', () => {
  it.each(cases)('gives %s on %s the RED, saturation and budget panels', (service, stack) => {
    const board = serviceDashboard(service, stack);
    expect(board.uid).toBe(service);
    expect(board.tags).toEqual(['aia-platform', stack, 'service', service]);
    expect(board.panels.map((p) => p.title)).toEqual(Object.values(SERVICE_PANELS));
    expect(panel(board, SERVICE_PANELS.latency).targets.map((t) => t.legendFormat)).toEqual([
      'p50',
      'p95',
      'p99',
    ]);
    expect(panel(board, SERVICE_PANELS.errorBudget).type).toBe('stat');
  });

  it.each(cases)('draws the catalog thresholds of %s on %s as lines', (service, stack) => {
    const { slo, rollback, alerts } = catalog[service];
    const board = serviceDashboard(service, stack);
    const expected: Record<string, number[]> = {
      [SERVICE_PANELS.errors]: [alerts[stack].errorRatePercent, rollback.errorRatePercent],
      [SERVICE_PANELS.latency]: [
        slo.latencyP95Seconds,
        alerts[stack].latencyP95Seconds,
        rollback.latencyP95Seconds,
      ],
      [SERVICE_PANELS.cpu]: [alerts[stack].cpuPercent],
      [SERVICE_PANELS.memory]: [alerts[stack].memoryPercent],
    };
    for (const [title, values] of Object.entries(expected)) {
      const p = panel(board, title);
      expect(lines(p)).toEqual(values);
      expect(p.fieldConfig.defaults.custom).toMatchObject({ thresholdsStyle: { mode: 'line' } });
    }
  });

  it('moves every line when the catalog copy it is given changes a figure', () => {
    const altered = alteredCatalog('economic-governor', {
      alerts: { errorRatePercent: 3, latencyP95Seconds: 1.5, cpuPercent: 70, memoryPercent: 60 },
      slo: { latencyP95Seconds: 0.3, availability: 0.99 },
      rollback: { errorRatePercent: 8, latencyP95Seconds: 4 },
    });
    const board = serviceDashboard('economic-governor', 'production', altered);
    expect(lines(panel(board, SERVICE_PANELS.errors))).toEqual([3, 8]);
    expect(lines(panel(board, SERVICE_PANELS.latency))).toEqual([0.3, 1.5, 4]);
    expect(lines(panel(board, SERVICE_PANELS.cpu))).toEqual([70]);
    expect(lines(panel(board, SERVICE_PANELS.memory))).toEqual([60]);
    expect(lines(panel(board, SERVICE_PANELS.availability))).toEqual([0.99]);
    expect(exprs(panel(board, SERVICE_PANELS.errorBudget))[0]).toMatch(/ \/ 0\.01$/);
    expect(serviceDashboard('aia-api', 'production', altered)).toEqual(
      serviceDashboard('aia-api', 'production'),
    );
  });

  it('keeps lines ascending when a threshold overtakes the rollback trigger', () => {
    const altered = alteredCatalog('aia-api', { alerts: { errorRatePercent: 12 } });
    const steps = panel(serviceDashboard('aia-api', 'staging', altered), SERVICE_PANELS.errors)
      .fieldConfig.defaults.thresholds.steps;
    expect(steps).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 10 },
      { color: 'orange', value: 12 },
    ]);
  });

  it('computes the error budget from the availability objective', () => {
    const [budget] = exprs(
      panel(serviceDashboard('aia-api', 'production'), SERVICE_PANELS.errorBudget),
    );
    expect(budget).toBe(
      '1 - (sum(rate(http_requests_total{service="aia-api", status=~"5.."}[30d])) or 0 * sum(rate(http_requests_total{service="aia-api"}[30d]))) / sum(rate(http_requests_total{service="aia-api"}[30d])) / 0.001',
    );
  });

  it.each(serviceNames)(
    'selects %s by its service label and its pods and containers',
    (service) => {
      const board = serviceDashboard(service, 'production');
      const http = [SERVICE_PANELS.requestRate, SERVICE_PANELS.errors, SERVICE_PANELS.latency];
      for (const expr of http.flatMap((title) => exprs(panel(board, title)))) {
        for (const selector of expr.match(/\w+\{[^}]*\}/g) ?? []) {
          expect(selector).toContain(`{service="${service}"`);
        }
      }
      for (const title of [SERVICE_PANELS.cpu, SERVICE_PANELS.memory]) {
        const [expr = ''] = exprs(panel(board, title));
        const selectors = expr.match(/\w+\{[^}]*\}/g) ?? [];
        expect(selectors).toHaveLength(2);
        for (const selector of selectors) {
          expect(selector).toContain(
            `{namespace="aia", pod=~"${service}-.*", container="${service}"`,
          );
        }
      }
    },
  );
});
