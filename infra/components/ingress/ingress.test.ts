import { BackendConfig } from '@kubernetes-models/gke/cloud.google.com/v1/BackendConfig';
import { ManagedCertificate } from '@kubernetes-models/gke/networking.gke.io/v1/ManagedCertificate';
import { FrontendConfig } from '@kubernetes-models/gke/networking.gke.io/v1beta1/FrontendConfig';
import * as pulumi from '@pulumi/pulumi';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import type { IngressGateway } from './ingress.js';

const POLICY = 'gcp:compute/securityPolicy:SecurityPolicy';
const ADDRESS = 'gcp:compute/globalAddress:GlobalAddress';
const INGRESS = 'kubernetes:networking.k8s.io/v1:Ingress';
const labels = { owner: 'platform', environment: 'production', service: 'edge' };
const ADDRESSES: Record<string, string> = {
  'edge-api-ip': '203.0.113.10',
  'edge-grafana-ip': '203.0.113.11',
};

type Json = Record<string, unknown>;
interface Rule {
  priority: number;
  action: string;
  match: { expr?: { expression: string }; versionedExpr?: string };
  rateLimitOptions?: Json;
}

describe('IngressGateway (mocks)', () => {
  let recorded: RecordedResource[];
  let gateway: IngressGateway;

  const one = (type: string, name: string) => {
    const found = recorded.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found;
  };
  const policyRules = () => one(POLICY, 'edge-armor').plain.rules as Rule[];

  beforeAll(async () => {
    recorded = await startMockStack('production', ({ type, name }) =>
      type === ADDRESS ? { address: ADDRESSES[name] } : {},
    );
    const { IngressGateway } = await import('./ingress.js');
    gateway = new IngressGateway('edge', {
      project: 'aia-platform-production',
      stack: 'production',
      domain: 'api.aia-platform.dev',
      grafanaHost: 'grafana.aia-platform.dev',
      apiService: { name: 'aia-api', port: 80, namespace: 'aia' },
      grafanaService: { name: 'kube-prometheus-stack-grafana', port: 80, namespace: 'monitoring' },
      rateLimitPerMinute: 600,
      grafanaAccess: { iap: { group: 'grafana-viewers@aia-platform.dev' } },
      labels,
    });
    await pulumi.runtime.disconnect();
  });

  it('denies every OWASP rule set with 403', () => {
    const waf = policyRules().filter((rule) => rule.match.expr);
    expect(waf.map((rule) => rule.match.expr?.expression)).toEqual([
      "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})",
      "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})",
      "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})",
      "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})",
      "evaluatePreconfiguredWaf('scannerdetection-v33-stable', {'sensitivity': 1})",
      "evaluatePreconfiguredWaf('protocolattack-v33-stable', {'sensitivity': 1})",
    ]);
    expect(new Set(waf.map((rule) => rule.action))).toEqual(new Set(['deny(403)']));
  });

  it('throttles each client IP at the configured requests per minute, after the WAF rules', () => {
    const rules = policyRules();
    const throttle = rules.find((rule) => rule.action === 'throttle');
    expect(throttle?.rateLimitOptions).toEqual({
      enforceOnKey: 'IP',
      rateLimitThreshold: { count: 600, intervalSec: 60 },
      conformAction: 'allow',
      exceedAction: 'deny(429)',
    });
    const lastWaf = Math.max(...rules.filter((r) => r.match.expr).map((r) => r.priority));
    expect(throttle?.priority).toBeGreaterThan(lastWaf);
  });

  it('ends with a default allow rule and turns Adaptive Protection on', () => {
    const policy = one(POLICY, 'edge-armor').plain;
    expect(policyRules().at(-1)).toMatchObject({ priority: 2147483647, action: 'allow' });
    expect(policy).toMatchObject({
      name: 'aia-production-edge',
      type: 'CLOUD_ARMOR',
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
      labels,
    });
  });

  it('reserves a labelled global IP per site and uses a MODERN TLS 1.2+ SSL policy', async () => {
    const addresses = ofType(recorded, ADDRESS).map((r) => [r.plain.name, r.plain.labels]);
    expect(addresses.sort()).toEqual([
      ['aia-production-api-ingress', labels],
      ['aia-production-grafana-ingress', labels],
    ]);
    expect(one('gcp:compute/sSLPolicy:SSLPolicy', 'edge-tls').plain).toMatchObject({
      profile: 'MODERN',
      minTlsVersion: 'TLS_1_2',
    });
    expect(await resolve(gateway.ipAddress)).toBe('203.0.113.10');
    expect(await resolve(gateway.grafanaIpAddress)).toBe('203.0.113.11');
  });

  it('attaches the security policy, the liveness health check and draining to the API backend', async () => {
    const backend = one('kubernetes:cloud.google.com/v1:BackendConfig', 'edge-api-backend').plain;
    expect(backend).toMatchObject({
      metadata: { name: 'api-edge', namespace: 'aia' },
      spec: {
        securityPolicy: { name: 'aia-production-edge' },
        // Liveness: readiness fails on every pod at once when Redis blips (pods keep /readyz).
        healthCheck: { type: 'HTTP', requestPath: '/healthz' },
        connectionDraining: { drainingTimeoutSec: 30 },
      },
    });
    expect(await resolve(gateway.backendConfigName)).toBe('api-edge');
    expect(await resolve(gateway.grafanaBackendConfigName)).toBe('grafana-edge');
    expect(await resolve(gateway.securityPolicyName)).toBe('aia-production-edge');
  });

  it("routes each host to its Service from an Ingress in that Service's namespace", () => {
    const api = one(INGRESS, 'edge-api').plain as Json & { metadata: Json; spec: Json };
    expect(api.metadata).toMatchObject({
      name: 'api-edge',
      namespace: 'aia',
      annotations: {
        'kubernetes.io/ingress.class': 'gce',
        'kubernetes.io/ingress.global-static-ip-name': 'aia-production-api-ingress',
        'networking.gke.io/managed-certificates': 'api-edge',
        'networking.gke.io/v1beta1.FrontendConfig': 'api-edge',
        'kubernetes.io/ingress.allow-http': 'false',
      },
    });
    const backend = { service: { name: 'aia-api', port: { number: 80 } } };
    expect(api.spec).toEqual({
      rules: [
        {
          host: 'api.aia-platform.dev',
          http: {
            // Only /v1: /metrics, /info and the probes match no rule (404 at the load balancer).
            paths: [{ path: '/v1', pathType: 'Prefix', backend }],
          },
        },
      ],
    });
    const grafana = one(INGRESS, 'edge-grafana').plain as Json & { metadata: Json };
    expect(grafana.metadata).toMatchObject({ namespace: 'monitoring' });
    expect(grafana.metadata.annotations).not.toHaveProperty('kubernetes.io/ingress.allow-http');
  });

  it('puts Grafana behind Identity-Aware Proxy for the configured group, on its host only', () => {
    const backend = one('kubernetes:cloud.google.com/v1:BackendConfig', 'edge-grafana-backend');
    // The OAuth client's Secret is an operator's (README): its secret never enters the state.
    expect(backend.plain).toMatchObject({
      metadata: { name: 'grafana-edge', namespace: 'monitoring' },
      spec: {
        iap: { enabled: true, oauthclientCredentials: { secretName: 'grafana-iap-oauth-client' } },
        healthCheck: { requestPath: '/api/health' },
      },
    });
    expect(recorded.filter((r) => r.type === 'kubernetes:core/v1:Secret')).toEqual([]);
    expect(one('gcp:iap/webIamMember:WebIamMember', 'edge-grafana-iap-access').plain).toEqual({
      project: 'aia-platform-production',
      role: 'roles/iap.httpsResourceAccessor',
      member: 'group:grafana-viewers@aia-platform.dev',
      condition: {
        title: 'grafana-host-only',
        description: 'IAP access to grafana.aia-platform.dev only',
        expression: 'request.host == "grafana.aia-platform.dev"',
      },
    });
    const api = one('kubernetes:cloud.google.com/v1:BackendConfig', 'edge-api-backend');
    expect(api.plain.spec).not.toHaveProperty('iap');
  });

  it('redirects Grafana to HTTPS and certifies each host in its own namespace', () => {
    const frontend = (site: string) =>
      one('kubernetes:networking.gke.io/v1beta1:FrontendConfig', `edge-${site}-frontend`).plain;
    expect(frontend('grafana').spec).toEqual({
      sslPolicy: 'aia-production-tls',
      redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' },
    });
    expect(frontend('api').spec).toEqual({ sslPolicy: 'aia-production-tls' });
    const certificate = (site: string) =>
      one('kubernetes:networking.gke.io/v1:ManagedCertificate', `edge-${site}-certificate`).plain;
    expect(certificate('api')).toMatchObject({
      metadata: { name: 'api-edge', namespace: 'aia' },
      spec: { domains: ['api.aia-platform.dev'] },
    });
    expect(certificate('grafana')).toMatchObject({
      metadata: { name: 'grafana-edge', namespace: 'monitoring' },
      spec: { domains: ['grafana.aia-platform.dev'] },
    });
  });

  it('creates no Service, so nothing becomes a LoadBalancer', () => {
    expect(recorded.filter((r) => r.type === 'kubernetes:core/v1:Service')).toEqual([]);
  });

  it('writes objects that validate against the Kubernetes and GKE schemas', () => {
    const models: Record<string, new (data: never) => { validate(): void }> = {
      'kubernetes:cloud.google.com/v1:BackendConfig': BackendConfig,
      'kubernetes:networking.gke.io/v1beta1:FrontendConfig': FrontendConfig,
      'kubernetes:networking.gke.io/v1:ManagedCertificate': ManagedCertificate,
      [INGRESS]: Ingress,
    };
    const objects = recorded.filter((r) => models[r.type]);
    expect(objects).toHaveLength(8);
    for (const { type, plain } of objects) {
      const Model = models[type] as new (data: never) => { validate(): void };
      const manifest =
        type === INGRESS
          ? { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...plain }
          : plain;
      expect(() => new Model(manifest as never).validate()).not.toThrow();
    }
  });

  it('passes the policy pack', async () => {
    const resources = plannedFromRecorded(recorded);
    expect(await packViolations(resources)).toEqual([]);
  });
});
