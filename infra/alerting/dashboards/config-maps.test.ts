import { describe, expect, it } from 'vitest';
import { serviceObservability } from '../../../policies/rules/platform/observability.js';
import { STACKS, serviceNames } from '../../../services/catalog.js';
import { planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { dashboardConfigMaps } from './config-maps.js';
import { alteredCatalog } from './test-catalog.js';

const MIB = 1024 * 1024;

describe.each(STACKS)('dashboardConfigMaps on %s', (stack) => {
  const maps = dashboardConfigMaps(stack);

  it('ships one ConfigMap per service plus the overview, token economy and agents', () => {
    expect(maps.map((map) => map.metadata.name)).toEqual([
      ...serviceNames.map((service) => `${service}-dashboard`),
      'aia-platform-overview-dashboard',
      'aia-token-economy-dashboard',
      'aia-agents-dashboard',
    ]);
  });

  it.each(maps.map((map) => [map.metadata.name, map] as const))(
    '%s is labelled for the Grafana sidecar and holds its dashboard as <uid>.json',
    (_name, map) => {
      expect(map).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
      expect(map.metadata.namespace).toBe('monitoring');
      expect(map.metadata.labels).toMatchObject({
        grafana_dashboard: '1',
        'app.kubernetes.io/part-of': 'aia-platform',
      });
      const [key, json = ''] = Object.entries(map.data)[0] ?? [];
      expect(Object.keys(map.data)).toHaveLength(1);
      const board = JSON.parse(json);
      expect(key).toBe(`${board.uid}.json`);
      expect(Buffer.byteLength(JSON.stringify(map), 'utf8')).toBeLessThan(MIB);
    },
  );

  it('names each service dashboard after exactly its service', () => {
    for (const service of serviceNames) {
      const map = maps.find((m) => m.metadata.name === `${service}-dashboard`);
      expect(map?.metadata.labels['app.kubernetes.io/name']).toBe(service);
    }
  });

  it('carries the thresholds of the catalog copy it is given', () => {
    const altered = alteredCatalog('aia-api', { alerts: { cpuPercent: 66 } });
    const json = dashboardConfigMaps(stack, altered)[0]?.data['aia-api.json'] ?? '';
    expect(json).toContain('"value": 66');
    expect(maps[0]?.data['aia-api.json']).not.toContain('"value": 66');
  });
});

describe('the observability policy', () => {
  const deployed = serviceNames.flatMap((service) => {
    const labels = { 'app.kubernetes.io/name': service };
    return [
      planned('kubernetes:apps/v1:Deployment', service, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: service, namespace: 'aia', labels },
      }),
      planned('kubernetes:monitoring.coreos.com/v1:PrometheusRule', `${service}-rules`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: service, namespace: 'monitoring', labels },
        spec: { groups: [] },
      }),
    ];
  });
  const configMaps = dashboardConfigMaps('production').map((map) =>
    planned('kubernetes:core/v1:ConfigMap', map.metadata.name, { ...map }),
  );

  it('finds a dashboard for every deployed service in these ConfigMaps', async () => {
    expect(await violationsOf([serviceObservability], [...deployed, ...configMaps])).toEqual([]);
  });

  it('would miss them without the ConfigMaps', async () => {
    const violations = await violationsOf([serviceObservability], deployed);
    expect(violations).toHaveLength(serviceNames.length);
  });
});
