import { describe, expect, it } from 'vitest';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { platformPolicies } from './index.js';

const labels = { 'app.kubernetes.io/name': 'economic-governor' };
const resources = {
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '2000m', memory: '4Gi' },
};

function deployment({ env = [] as object[], resourcesOverride = resources } = {}) {
  return planned('kubernetes:apps/v1:Deployment', 'economic-governor', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'economic-governor', namespace: 'aia', labels },
    spec: {
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'economic-governor',
              resources: resourcesOverride,
              envFrom: [
                { configMapRef: { name: 'economic-governor-env' } },
                { secretRef: { name: 'economic-governor-secrets' } },
              ],
              env,
            },
          ],
        },
      },
    },
  });
}

const configMap = (data: Record<string, string>) =>
  planned('kubernetes:core/v1:ConfigMap', 'economic-governor-env', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'economic-governor-env', namespace: 'aia' },
    data,
  });

const secret = (keys: string[]) =>
  planned('kubernetes:core/v1:Secret', 'economic-governor-secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'economic-governor-secrets', namespace: 'aia' },
    stringData: Object.fromEntries(keys.map((key) => [key, '[secret]'])),
  });

const alerts = (rule: object) =>
  planned('kubernetes:monitoring.coreos.com/v1:PrometheusRule', 'economic-governor-alerts', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'economic-governor', namespace: 'monitoring', labels },
    spec: { groups: [{ name: 'economic-governor', rules: [rule] }] },
  });

const goodAlert = {
  alert: 'EconomicGovernorHighErrorRate',
  expr: 'x > 0.05',
  labels: { severity: 'warning' },
  annotations: { summary: 'Errors above 5 %', runbook_url: 'https://example.test/runbooks/x' },
};

const dashboard = planned('kubernetes:core/v1:ConfigMap', 'economic-governor-dashboard', {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'economic-governor-dashboard',
    namespace: 'monitoring',
    labels: { ...labels, grafana_dashboard: '1' },
  },
  data: { 'economic-governor.json': '{}' },
});

/** How a deployed service reaches its database: as its IAM user, through the connector. */
const connector = {
  CLOUD_SQL_INSTANCE: 'aia-production:europe-west1:aia-production-sql',
  DATABASE_USER: 'aia-production-economic-governor@aia-production.iam',
  DATABASE_NAME: 'aia_economic_governor',
};

const compliant = [
  deployment(),
  configMap({
    PORT: '8001',
    ENVIRONMENT: 'production',
    JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
    ...connector,
  }),
  secret(['REDIS_URL', 'TREASURY_PRIVATE_KEY']),
  alerts(goodAlert),
  dashboard,
];

describe('platform contract policies', () => {
  it('accept a service deployed with its full env contract, catalog resources, alerts and dashboard', async () => {
    expect(await violationsOf(platformPolicies, compliant)).toEqual([]);
  });

  it('flag a required variable that nothing provides', async () => {
    const [, , , ...rest] = compliant;
    const violations = await violationsOf(platformPolicies, [
      deployment(),
      configMap({ PORT: '8001', JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS, ...connector }),
      secret(['REDIS_URL']),
      ...rest,
    ]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      policy: 'platform-service-env-contract',
      urn: 'urn:pulumi:production::aia-platform::kubernetes:apps/v1:Deployment::economic-governor',
    });
    expect(violations[0]?.message).toContain(
      'Deployment aia/economic-governor (service economic-governor) does not provide TREASURY_PRIVATE_KEY',
    );
  });

  it('flag a secret of the schema, or an SDK credential, given as a plain value', async () => {
    const [, , , ...rest] = compliant;
    const violations = await violationsOf(platformPolicies, [
      deployment({ env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI' }] }),
      configMap({
        PORT: '8001',
        ENVIRONMENT: 'production',
        JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
        TREASURY_PRIVATE_KEY: 't'.repeat(64),
        ...connector,
      }),
      secret(['REDIS_URL']),
      ...rest,
    ]);
    expect(messagesOf(violations)).toEqual([
      "Deployment aia/economic-governor (service economic-governor) receives TREASURY_PRIVATE_KEY, AWS_SECRET_ACCESS_KEY as plain values (a ConfigMap or the container's env), but they are secrets: deliver them from its Secret.",
    ]);
  });

  it('flag a service given a password database URL, or no way to its database', async () => {
    const [, , , ...rest] = compliant;
    const withPassword = await violationsOf(platformPolicies, [
      deployment(),
      configMap({ PORT: '8001', JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS }),
      secret(['DATABASE_URL', 'REDIS_URL', 'TREASURY_PRIVATE_KEY']),
      ...rest,
    ]);
    expect(messagesOf(withPassword)).toEqual([
      expect.stringMatching(
        /^Deployment aia\/economic-governor \(service economic-governor\) receives DATABASE_URL, a password login/,
      ),
      expect.stringMatching(
        /is not given CLOUD_SQL_INSTANCE, DATABASE_USER, DATABASE_NAME: render the Cloud SQL connector variables/,
      ),
    ]);
    const withNothing = await violationsOf(platformPolicies, [
      deployment(),
      configMap({ PORT: '8001', JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS }),
      secret(['REDIS_URL', 'TREASURY_PRIVATE_KEY']),
      ...rest,
    ]);
    expect(withNothing.map((v) => v.policy)).toEqual(['platform-database-iam-authentication']);
  });

  it('flag the token signing key given to a service that is not the issuer', async () => {
    const [, , , ...rest] = compliant;
    const violations = await violationsOf(platformPolicies, [
      deployment(),
      configMap({ PORT: '8001', JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS, ...connector }),
      secret(['REDIS_URL', 'TREASURY_PRIVATE_KEY', 'JWT_SIGNING_KEY']),
      ...rest,
    ]);
    expect(messagesOf(violations)).toEqual([
      "Deployment aia/economic-governor (service economic-governor) receives JWT_SIGNING_KEY, the token issuer's private key: only the issuer may sign; give it JWT_PUBLIC_KEYS instead.",
    ]);
  });

  it('flag a private key in a ConfigMap', async () => {
    const [, , ...rest] = compliant;
    const violations = await violationsOf(platformPolicies, [
      deployment(),
      configMap({
        PORT: '8001',
        JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
        ...connector,
        EXTRA_KEY: testJwtEnv.JWT_SIGNING_KEY,
      }),
      ...rest,
    ]);
    expect(messagesOf(violations)).toContain(
      'ConfigMap economic-governor-env holds a private key under EXTRA_KEY: put it in a Secret, or publish only the public key.',
    );
  });

  it('flag a literal value the env schema refuses', async () => {
    const [, , ...rest] = compliant;
    const violations = await violationsOf(platformPolicies, [
      deployment({ env: [{ name: 'RATE_LIMIT_FAIL_MODE', value: 'sometimes' }] }),
      configMap({ PORT: 'eighty', JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS, ...connector }),
      ...rest,
    ]);
    expect(messagesOf(violations)).toEqual([
      expect.stringContaining("sets PORT='eighty', which its env schema refuses"),
      expect.stringContaining(
        "sets RATE_LIMIT_FAIL_MODE='sometimes', which its env schema refuses",
      ),
    ]);
  });

  it('flag requests and limits that differ from the catalog for the stack', async () => {
    const [, ...rest] = compliant;
    const smaller = { ...resources, limits: { cpu: '1000m', memory: '4Gi' } };
    const violations = await violationsOf(platformPolicies, [
      deployment({ resourcesOverride: smaller }),
      ...rest,
    ]);
    expect(messagesOf(violations)).toEqual([
      'Deployment aia/economic-governor: limits.cpu is 1000m but the service catalog gives economic-governor 2000m on production: render resources from the catalog.',
    ]);
  });

  it('flag a service deployed without alert rules or a dashboard', async () => {
    const violations = await violationsOf(platformPolicies, compliant.slice(0, 3));
    expect(violations.map((v) => v.policy)).toEqual([
      'platform-service-observability',
      'platform-service-observability',
    ]);
    expect(messagesOf(violations)[0]).toContain(
      'Service economic-governor is deployed without alert rules',
    );
    expect(messagesOf(violations)[1]).toContain('without a dashboard');
  });

  it('flag an alert without severity, summary or runbook', async () => {
    const violations = await violationsOf(platformPolicies, [
      ...compliant.slice(0, 3),
      alerts({ alert: 'Bare', expr: 'up == 0', labels: { severity: 'page' } }),
      dashboard,
    ]);
    expect(messagesOf(violations)).toEqual([
      'PrometheusRule monitoring/economic-governor: alert Bare lacks labels.severity (one of critical, warning, info), annotations.summary, annotations.runbook_url.',
    ]);
  });
});
