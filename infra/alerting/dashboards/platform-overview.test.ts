import { describe, expect, it } from 'vitest';
import { catalog, STACKS, serviceNames } from '../../../services/catalog.js';
import type { Catalog } from './catalog.js';
import type { Dashboard } from './dashboard.js';
import type { Panel } from './panels.js';
import { OVERVIEW_PANELS, platformOverviewDashboard } from './platform-overview.js';
import { alteredCatalog } from './test-catalog.js';

const panel = (board: Dashboard, title: string): Panel => {
  const found = board.panels.find((p) => p.title === title);
  if (!found) throw new Error(`${board.uid} has no panel '${title}'`);
  return found;
};

const lines = (p: Panel) =>
  p.fieldConfig.defaults.thresholds.steps.flatMap((step) =>
    step.value === null ? [] : [step.value],
  );

describe('platformOverviewDashboard', () => {
  it.each(STACKS)('covers every catalog service on %s', (stack) => {
    const board = platformOverviewDashboard(stack);
    expect(board.uid).toBe('aia-platform-overview');
    expect(board.panels.map((p) => p.title)).toEqual(Object.values(OVERVIEW_PANELS));
    const http = [OVERVIEW_PANELS.requestRate, OVERVIEW_PANELS.errors, OVERVIEW_PANELS.latency];
    for (const title of http) {
      expect(panel(board, title).targets[0]?.expr).toContain(
        `service=~"${serviceNames.join('|')}"`,
      );
      expect(panel(board, title).targets[0]?.legendFormat).toBe('{{service}}');
    }
  });

  it('tabulates availability, request rate, p95 and error ratio per service as instant queries', () => {
    const services = panel(platformOverviewDashboard('production'), OVERVIEW_PANELS.services);
    expect(services.type).toBe('table');
    expect(services.targets.map((t) => [t.refId, t.instant, t.format])).toEqual([
      ['A', true, 'table'],
      ['B', true, 'table'],
      ['C', true, 'table'],
      ['D', true, 'table'],
    ]);
    expect(services.targets[0]?.expr).toMatch(/^1 - .*\[30d\]/);
    expect(services.targets[2]?.expr).toMatch(/^histogram_quantile\(0\.95, sum by \(service, le\)/);
    expect(services.transformations).toContainEqual(
      expect.objectContaining({
        id: 'organize',
        options: expect.objectContaining({
          renameByName: {
            'Value #A': 'Availability (30d)',
            'Value #B': 'Requests/s',
            'Value #C': 'p95',
            'Value #D': '5xx ratio',
          },
        }),
      }),
    );
  });

  it('counts pod restarts in the workload namespace', () => {
    const restarts = panel(platformOverviewDashboard('staging'), OVERVIEW_PANELS.restarts);
    expect(restarts.targets[0]?.expr).toBe(
      'sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="aia"}[1h]))',
    );
  });

  it('draws the thresholds all services share, from the catalog', () => {
    const board = platformOverviewDashboard('production');
    const api = catalog['aia-api'];
    expect(lines(panel(board, OVERVIEW_PANELS.errors))).toEqual([
      api.alerts.production.errorRatePercent,
      api.rollback.errorRatePercent,
    ]);
    expect(lines(panel(board, OVERVIEW_PANELS.latency))).toEqual([
      api.slo.latencyP95Seconds,
      api.alerts.production.latencyP95Seconds,
      api.rollback.latencyP95Seconds,
    ]);
  });

  it('leaves out a line the services do not share, and says so', () => {
    const altered = alteredCatalog('dkg-manager', { alerts: { errorRatePercent: 2 } });
    const errors = panel(platformOverviewDashboard('production', altered), OVERVIEW_PANELS.errors);
    expect(lines(errors)).toEqual([catalog['aia-api'].rollback.errorRatePercent]);
    expect(errors.description).toContain('Thresholds differ between services');
    const allChanged = serviceNames.reduce(
      (copy, service) => alteredCatalog(service, { rollback: { latencyP95Seconds: 6 } }, copy),
      catalog as Catalog,
    );
    const latency = panel(
      platformOverviewDashboard('staging', allChanged),
      OVERVIEW_PANELS.latency,
    );
    expect(lines(latency)).toEqual([0.5, 2, 6]);
  });
});
