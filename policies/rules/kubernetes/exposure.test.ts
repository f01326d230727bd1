import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  allowlistsSources,
  grafanaNotPasswordOnly,
  isPublicPath,
  namespaceDefaultDenyEgress,
  onlyPublicServicesRouted,
  onlyVersionedApiPublic,
} from './exposure.js';

const INGRESS = 'kubernetes:networking.k8s.io/v1:Ingress';
const ingress = (name: string, namespace: string, paths: [string, string][], extra = {}) =>
  planned(INGRESS, name, {
    metadata: { name, namespace },
    spec: {
      rules: [
        {
          host: 'api.aia-platform.dev',
          http: {
            paths: paths.map(([path, service]) => ({
              path,
              pathType: 'Prefix',
              backend: { service: { name: service, port: { number: 80 } } },
            })),
          },
        },
      ],
      ...extra,
    },
  });

describe('k8s-only-public-services-routed', () => {
  it("accepts routes to the catalog's public service and to what is not a platform service", async () => {
    const resources = [
      ingress('api-edge', 'aia', [['/v1', 'aia-api']]),
      ingress('grafana-edge', 'monitoring', [['/', 'kube-prometheus-stack-grafana']]),
    ];
    expect(await violationsOf([onlyPublicServicesRouted], resources)).toEqual([]);
  });

  it('refuses an Ingress path or an HTTPRoute to a service the catalog keeps internal', async () => {
    const route = planned('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'ledger', {
      metadata: { name: 'ledger', namespace: 'aia' },
      spec: { rules: [{ backendRefs: [{ name: 'economic-governor', port: 8001 }] }] },
    });
    const resources = [ingress('api-edge', 'aia', [['/v1/ledger', 'economic-governor']]), route];
    expect(messagesOf(await violationsOf([onlyPublicServicesRouted], resources))).toEqual([
      "Ingress aia/api-edge routes internet traffic to economic-governor, which the catalog keeps internal: remove the route, or set exposure: 'public' in services/economic-governor/definition.ts if it is meant to be public.",
      expect.stringContaining('HTTPRoute aia/ledger routes internet traffic to economic-governor'),
    ]);
  });
});

describe('k8s-public-paths-versioned-api-only', () => {
  it('knows /v1 and what is under it from everything else', () => {
    expect(['/v1', '/v1/ledger'].map(isPublicPath)).toEqual([true, true]);
    expect(['/', '/metrics', '/healthz', '/v10', undefined].map(isPublicPath)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('accepts an Ingress routing only /v1 of a service, and other backends at any path', async () => {
    const resources = [
      ingress('api-edge', 'aia', [['/v1', 'aia-api']]),
      ingress('grafana-edge', 'monitoring', [['/', 'kube-prometheus-stack-grafana']]),
    ];
    expect(await violationsOf([onlyVersionedApiPublic], resources)).toEqual([]);
  });

  it('refuses /, /metrics and a defaultBackend to a service, saying what to set', async () => {
    const resources = [
      ingress('api-edge', 'aia', [
        ['/v1', 'aia-api'],
        ['/', 'aia-api'],
        ['/metrics', 'economic-governor'],
      ]),
      ingress('fallback', 'aia', [], { defaultBackend: { service: { name: 'aia-api' } } }),
    ];
    const messages = messagesOf(await violationsOf([onlyVersionedApiPublic], resources));
    expect(messages).toEqual([
      "Ingress aia/api-edge exposes / of aia-api to the internet: route only the prefix '/v1' (pathType Prefix) and no defaultBackend; everything else then gets 404 at the load balancer, whose health check reaches the pods directly.",
      expect.stringContaining('exposes /metrics of economic-governor'),
      expect.stringContaining('Ingress aia/fallback exposes * (defaultBackend) of aia-api'),
    ]);
  });

  it('refuses an HTTPRoute rule without matches (every path) or matching /info', async () => {
    const route = planned('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'api', {
      metadata: { name: 'api', namespace: 'aia' },
      spec: {
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
            backendRefs: [{ name: 'aia-api' }],
          },
          {
            matches: [{ path: { type: 'PathPrefix', value: '/info' } }],
            backendRefs: [{ name: 'aia-api' }],
          },
          { backendRefs: [{ name: 'dkg-manager' }] },
        ],
      },
    });
    const messages = messagesOf(await violationsOf([onlyVersionedApiPublic], [route]));
    expect(messages).toEqual([
      expect.stringContaining('HTTPRoute aia/api exposes /info of aia-api'),
      expect.stringContaining('HTTPRoute aia/api exposes / of dkg-manager'),
    ]);
  });
});

describe('k8s-grafana-iap-or-allowlist', () => {
  const grafana = ingress('grafana-edge', 'monitoring', [['/', 'kube-prometheus-stack-grafana']]);
  const backendConfig = (spec: Record<string, unknown>) =>
    planned('kubernetes:cloud.google.com/v1:BackendConfig', 'grafana-backend', {
      metadata: { name: 'grafana-edge', namespace: 'monitoring' },
      spec,
    });
  const armor = (rules: unknown[]) =>
    planned('gcp:compute/securityPolicy:SecurityPolicy', 'grafana-armor', {
      name: 'aia-production-grafana-edge',
      rules,
    });
  const allowlist = [
    { priority: 2000, action: 'throttle', match: { config: { srcIpRanges: ['34.120.0.0/24'] } } },
    { priority: 2147483647, action: 'deny(403)', match: { config: { srcIpRanges: ['*'] } } },
  ];
  const open = [
    { priority: 2147483647, action: 'allow', match: { config: { srcIpRanges: ['*'] } } },
  ];

  it('accepts Grafana behind IAP with its OAuth client', async () => {
    const iap = backendConfig({
      iap: { enabled: true, oauthclientCredentials: { secretName: 'c' } },
    });
    expect(await violationsOf([grafanaNotPasswordOnly], [grafana, iap])).toEqual([]);
  });

  it('accepts Grafana behind a Cloud Armor policy that denies all but listed ranges', async () => {
    const resources = [
      grafana,
      armor(allowlist),
      backendConfig({ securityPolicy: { name: 'aia-production-grafana-edge' } }),
    ];
    expect(await violationsOf([grafanaNotPasswordOnly], resources)).toEqual([]);
  });

  it('refuses Grafana behind its password alone: an open policy, IAP off', async () => {
    const resources = [
      grafana,
      armor(open),
      backendConfig({
        securityPolicy: { name: 'aia-production-grafana-edge' },
        iap: { enabled: false, oauthclientCredentials: { secretName: 'c' } },
      }),
    ];
    expect(messagesOf(await violationsOf([grafanaNotPasswordOnly], resources))).toEqual([
      "Ingress monitoring/grafana-edge makes Grafana public behind its password alone: set the BackendConfig's iap { enabled: true, oauthclientCredentials.secretName } (stack config grafanaAccess.iap.group) or give it a Cloud Armor policy that denies by default and allows listed ranges only (grafanaAccess.allowedSources).",
    ]);
  });

  it('does not count an allowlist that lets every source through', () => {
    expect(allowlistsSources(allowlist)).toBe(true);
    expect(allowlistsSources(open)).toBe(false);
    const everyone = [
      { priority: 2000, action: 'throttle', match: { config: { srcIpRanges: ['0.0.0.0/0'] } } },
      ...allowlist.slice(1),
    ];
    expect(allowlistsSources(everyone)).toBe(false);
  });
});

describe('k8s-namespace-default-deny-egress', () => {
  const namespace = planned('kubernetes:core/v1:Namespace', 'aia', { metadata: { name: 'aia' } });
  const policy = (spec: Record<string, unknown>) =>
    planned('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'deny', {
      metadata: { name: 'default-deny-egress', namespace: 'aia' },
      spec,
    });

  it('accepts a namespace with a default-deny egress policy', async () => {
    const deny = policy({ podSelector: {}, policyTypes: ['Egress'] });
    expect(await violationsOf([namespaceDefaultDenyEgress], [namespace, deny])).toEqual([]);
  });

  it.each([
    ['governs ingress only', { podSelector: {}, policyTypes: ['Ingress'] }],
    ['allows some egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }],
    ['selects some pods', { podSelector: { matchLabels: { a: 'b' } }, policyTypes: ['Egress'] }],
  ])('refuses a namespace whose only policy %s', async (_, spec) => {
    expect(
      messagesOf(await violationsOf([namespaceDefaultDenyEgress], [namespace, policy(spec)])),
    ).toEqual([
      "Namespace aia lets its pods send anywhere: add a NetworkPolicy in 'aia' with podSelector {}, policyTypes ['Egress'] and no egress rules, then allow each destination (DNS, metadata server, data stores, Google APIs) explicitly.",
    ]);
  });
});
