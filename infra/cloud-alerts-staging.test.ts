import { beforeAll, describe, expect, it } from 'vitest';
import { planStack, queries } from '../test/harness/plan-queries.js';

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
});
