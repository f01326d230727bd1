import { beforeAll, describe, expect, it } from 'vitest';
import { planStack, queries } from '../test/harness/plan-queries.js';
import {
  minutesTo,
  promtoolVerdict,
} from './components/cloud-monitoring-alerts/testing/promtool-verdict.js';

// One plan per file (Pulumi's state is global): staging's Cloud Monitoring alerts. Production,
// with its replicas: cloud-alerts-production.test.ts.
let q: ReturnType<typeof queries>;
const POLICY = 'gcp:monitoring/alertPolicy:AlertPolicy';

beforeAll(async () => {
  q = queries(await planStack('staging'));
});

describe('staging Cloud Monitoring alerts (offline plan)', () => {
  const channelName = (resource: string) =>
    `projects/aia-platform-staging/notificationChannels/aia-staging-cloud-alerts-${resource}`;

  it('watches no replica lag, having no replica, and still the logs and the exports', () => {
    expect(
      q
        .ofType(POLICY)
        .map((policy) => policy.name)
        .sort(),
    ).toEqual([
      'aia-staging-cloud-alerts-aia-staging-auth-failures',
      'aia-staging-cloud-alerts-aia-staging-http-5xx',
      'aia-staging-cloud-alerts-aia-staging-ledger-refusals',
      'aia-staging-cloud-alerts-aia-staging-sql-export-attempt-failures',
      'aia-staging-cloud-alerts-aia-staging-sql-export-operation-failures',
    ]);
  });

  it("routes by severity to staging's own PagerDuty areas and e-mail", () => {
    const routed = (key: string) =>
      q.inputsOf(q.ofType(POLICY).find((p) => p.name === `aia-staging-cloud-alerts-${key}`))
        .notificationChannels;
    expect(routed('aia-staging-http-5xx')).toEqual([
      channelName('pagerduty-platform'),
      channelName('email'),
    ]);
    expect(routed('aia-staging-sql-export-operation-failures')).toEqual([channelName('email')]);
  });

  it("mutes the warnings in staging's own window, Sunday 03:00–05:00 UTC, not production's (real promtool)", async () => {
    const rendered = q.ofType(POLICY).map((resource) => {
      const inputs = q.inputsOf(resource);
      const { query, duration } = inputs.conditions[0].conditionPrometheusQueryLanguage;
      return { name: resource.name, query, duration, severity: inputs.userLabels.severity };
    });
    const critical = rendered.filter((c) => c.severity === 'critical').map((c) => c.name);
    expect(critical).toEqual(['aia-staging-cloud-alerts-aia-staging-http-5xx']);
    for (const warning of rendered.filter((c) => c.severity === 'warning')) {
      expect(warning.query).toMatch(
        / unless on\(\) \(\(day_of_week\(\) == 0\) and \(hour\(\) >= 3\) and \(hour\(\) < 5\)\)$/,
      );
    }
    const all = rendered.map((c) => c.name);
    const { stdout } = await promtoolVerdict(rendered, [
      { minutes: minutesTo('sunday', 2, 30), firing: all },
      { minutes: minutesTo('sunday', 3, 30), firing: critical },
      { minutes: minutesTo('sunday', 4, 59), firing: critical },
      { minutes: minutesTo('sunday', 5), firing: all },
    ]);
    expect(stdout).toContain('SUCCESS');
  });
});
