import { describe, expect, it } from 'vitest';
import { LOG_ALERT_THRESHOLDS, logMetrics } from './settings.js';

describe('log-based metrics', () => {
  const [serverErrors, authFailures, ledgerRefusals] = logMetrics('aia-production', 'aia');

  it('count only the services namespace containers, by the request line status', () => {
    for (const metric of [serverErrors, authFailures, ledgerRefusals]) {
      expect(metric?.filter).toMatch(
        /^resource\.type="k8s_container" AND resource\.labels\.namespace_name="aia" AND /,
      );
    }
    expect(serverErrors).toMatchObject({
      name: 'aia-production-http-5xx',
      filter: expect.stringContaining('jsonPayload.status>=500'),
      threshold: LOG_ALERT_THRESHOLDS.serverErrors,
      severity: 'critical',
    });
    expect(authFailures?.filter).toContain('(jsonPayload.status=401 OR jsonPayload.status=403)');
  });

  it("count the ledger's refused transfers only, not every 4xx of every service", () => {
    expect(ledgerRefusals?.filter).toContain('jsonPayload.service="economic-governor"');
    expect(ledgerRefusals?.filter).toContain('jsonPayload.path=~"^/v1/transfers"');
    expect(ledgerRefusals?.filter).toContain('(jsonPayload.status=409 OR jsonPayload.status=422)');
  });

  it('name the namespace the stack runs its services in', () => {
    expect(logMetrics('aia-staging', 'platform')[0]?.filter).toContain(
      'resource.labels.namespace_name="platform"',
    );
  });
});
