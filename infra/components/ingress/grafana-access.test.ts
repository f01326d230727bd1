import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import { type RecordedResource, startMockStack } from '../../../test/harness/pulumi-mock-stack.js';
import { checkGrafanaAccess } from './grafana-access.js';

describe('checkGrafanaAccess', () => {
  it('refuses Grafana behind its password alone, saying what to set', () => {
    expect(() => checkGrafanaAccess({})).toThrow(
      'set grafanaAccess.iap.group (Identity-Aware Proxy) or grafanaAccess.allowedSources',
    );
    expect(() => checkGrafanaAccess({ allowedSources: [] })).toThrow('password alone');
    expect(() => checkGrafanaAccess({ allowedSources: ['10.8.0.0/16'] })).not.toThrow();
  });
});

describe('IngressGateway with a Grafana allowlist and IAP (mocks)', () => {
  let recorded: RecordedResource[];
  const one = (type: string, name: string) => {
    const found = recorded.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found.plain as Record<string, unknown>;
  };

  beforeAll(async () => {
    recorded = await startMockStack('production', () => ({}));
    const { IngressGateway } = await import('./ingress.js');
    new IngressGateway('edge', {
      project: 'aia-platform-production',
      stack: 'production',
      domain: 'api.aia-platform.dev',
      grafanaHost: 'grafana.aia-platform.dev',
      apiService: { name: 'aia-api', port: 80, namespace: 'aia' },
      grafanaService: { name: 'kube-prometheus-stack-grafana', port: 80, namespace: 'monitoring' },
      rateLimitPerMinute: 600,
      grafanaAccess: {
        iap: { group: 'grafana-viewers@aia-platform.dev', oauthClientSecretName: 'grafana-oauth' },
        allowedSources: ['10.8.0.0/16'],
      },
      labels: { owner: 'platform', environment: 'production', service: 'edge' },
    });
    await pulumi.runtime.disconnect();
  });

  it('gives Grafana a policy of its own that denies every source outside the allowlist', () => {
    const policy = one('gcp:compute/securityPolicy:SecurityPolicy', 'edge-grafana-armor');
    expect(policy).toMatchObject({ name: 'aia-production-grafana-edge' });
    expect((policy.rules as unknown as { action: string }[]).at(-1)).toMatchObject({
      action: 'deny(403)',
    });
    const backend = one('kubernetes:cloud.google.com/v1:BackendConfig', 'edge-grafana-backend');
    expect(backend).toMatchObject({
      spec: {
        securityPolicy: { name: 'aia-production-grafana-edge' },
        iap: { enabled: true, oauthclientCredentials: { secretName: 'grafana-oauth' } },
      },
    });
    const api = one('kubernetes:cloud.google.com/v1:BackendConfig', 'edge-api-backend');
    expect(api).toMatchObject({ spec: { securityPolicy: { name: 'aia-production-edge' } } });
  });

  it('passes the policy pack', async () => {
    expect(await packViolations(plannedFromRecorded(recorded))).toEqual([]);
  });
});
