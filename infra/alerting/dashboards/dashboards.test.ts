import { describe, expect, it } from 'vitest';
import { STACKS, type StackName, serviceNames } from '../../../services/catalog.js';
import { agentsDashboard } from './agents.js';
import { type Dashboard, dashboardExpressions, dashboardUid } from './dashboard.js';
import { metricNames } from './metric-names.js';
import { platformOverviewDashboard } from './platform-overview.js';
import { serviceDashboard } from './service-dashboard.js';
import { tokenEconomyDashboard } from './token-economy.js';

/** Metrics the services export (prom-client) or kube-prometheus-stack scrapes. */
const ALLOWED_METRICS = [
  /^http_request_duration_seconds_(bucket|count|sum)$/,
  /^http_requests_total$/,
  /^token_transactions_total$/,
  /^agent_runs_total$/,
  /^up$/,
  /^(container|kube|process|nodejs)_\w+$/,
];

const allDashboards = (stack: StackName): Dashboard[] => [
  ...serviceNames.map((service) => serviceDashboard(service, stack)),
  platformOverviewDashboard(stack),
  tokenEconomyDashboard(stack),
  agentsDashboard(stack),
];

describe.each(STACKS)('every dashboard on %s', (stack) => {
  const dashboards = allDashboards(stack);

  it('has a unique, valid and stable uid', () => {
    const uids = dashboards.map((board) => board.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(allDashboards(stack).map((board) => board.uid)).toEqual(uids);
  });

  it.each(dashboards.map((board) => [board.uid, board] as const))(
    '%s survives JSON and numbers its panels uniquely',
    (_uid, board) => {
      expect(JSON.parse(JSON.stringify(board))).toEqual(board);
      const ids = board.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(board.panels.length).toBeGreaterThan(0);
    },
  );

  it.each(dashboards.map((board) => [board.uid, board] as const))(
    '%s follows the platform conventions',
    (_uid, board) => {
      expect(board).toMatchObject({
        schemaVersion: 39,
        time: { from: 'now-6h', to: 'now' },
        refresh: '30s',
      });
      expect(board.tags[0]).toBe('aia-platform');
      expect(board.tags).toContain(stack);
      expect(board.templating.list).toEqual([
        expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
      ]);
      for (const panel of board.panels) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the Grafana variable, literally
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        for (const query of panel.targets) expect(query.datasource).toEqual(panel.datasource);
      }
    },
  );

  it.each(dashboards.map((board) => [board.uid, board] as const))(
    '%s queries only metrics the services and exporters provide',
    (_uid, board) => {
      const names = dashboardExpressions(board).flatMap(metricNames);
      expect(names.length).toBeGreaterThan(0);
      const unknown = names.filter((name) => !ALLOWED_METRICS.some((re) => re.test(name)));
      expect(unknown).toEqual([]);
    },
  );
});

describe('dashboardUid', () => {
  it('is the slug of the name', () => {
    expect(dashboardUid('economic-governor')).toBe('economic-governor');
    expect(dashboardUid('AIA Platform: overview')).toBe('aia-platform-overview');
  });

  it('shortens a long name to 40 characters with a hash that keeps names apart', () => {
    const a = dashboardUid(`a-${'very-'.repeat(10)}long-name`);
    const b = dashboardUid(`a-${'very-'.repeat(10)}long-nome`);
    expect(a).toHaveLength(40);
    expect(a).not.toBe(b);
    expect(dashboardUid(`a-${'very-'.repeat(10)}long-name`)).toBe(a);
  });

  it('refuses a name with nothing to slug', () => {
    expect(() => dashboardUid('—')).toThrow("Dashboard name '—' has no letters or digits.");
  });
});
