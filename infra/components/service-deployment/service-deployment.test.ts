import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../services/catalog.js';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import {
  ofType,
  type RecordedResource,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { renderEnvironment } from './environment.js';
import { PROBE_PATHS } from './probe-paths.js';
import { ServiceDeployment, type ServiceDeploymentArgs } from './service-deployment.js';

let recorded: RecordedResource[];
const secret = (value: string) => pulumi.secret(value);

const apiEnvironment = () =>
  renderEnvironment('aia-api', catalog['aia-api'].env, {
    PORT: '8000',
    JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
    JWT_SIGNING_KEY: secret(testJwtEnv.JWT_SIGNING_KEY),
  });
const governorEnvironment = () =>
  renderEnvironment('economic-governor', catalog['economic-governor'].env, {
    PORT: '8001',
    JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
    DATABASE_URL: secret('postgres://u:p@10.0.0.3/db'),
    TREASURY_PRIVATE_KEY: secret('t'.repeat(32)),
  });

const base = {
  project: 'aia-test',
  stack: 'production',
  namespace: 'aia',
  migrate: false,
  prometheusRelease: 'kube-prometheus-stack',
  readableSecrets: { 'redis-url': 'projects/aia-test/secrets/redis-url' },
  shutdownTimeoutSeconds: 10,
  labels: { owner: 'platform', environment: 'production', service: 'aia-api' },
} as const;

beforeAll(async () => {
  recorded = await startMockStack('test', ({ type, plain }) =>
    type === 'gcp:serviceaccount/account:Account'
      ? {
          email: `${plain.accountId}@aia-test.iam.gserviceaccount.com`,
          member: `serviceAccount:${plain.accountId}@aia-test.iam.gserviceaccount.com`,
        }
      : {},
  );
  const images = { blue: 'repo/services:1.4.2', green: 'repo/services:1.5.0' };
  new ServiceDeployment('api', {
    ...base,
    definition: catalog['aia-api'],
    environment: apiEnvironment(),
    images,
    activeColor: 'green',
    public: true,
  } as ServiceDeploymentArgs);
  new ServiceDeployment('governor', {
    ...base,
    definition: catalog['economic-governor'],
    environment: governorEnvironment(),
    images: { default: 'repo/services:1.4.2' },
    migrate: true,
    labels: { ...base.labels, service: 'economic-governor' },
  } as ServiceDeploymentArgs);
  await pulumi.runtime.disconnect();
});

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON that tests index freely
type Json = Record<string, any>;

const named = (type: string, name: string): Json => {
  const found = ofType(recorded, type).find((resource) => resource.name === name);
  if (!found) throw new Error(`${type} ${name} was not recorded`);
  return found.plain as Json;
};

describe('a catalog service deployed on GKE', () => {
  it('keeps readiness on /readyz for Kubernetes and liveness on /healthz (what the load balancer checks)', () => {
    const [container] = named('kubernetes:apps/v1:Deployment', 'api-blue').spec.template.spec
      .containers;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: PROBE_PATHS.liveness, port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('runs blue and green Deployments, the stable Service routing to the active colour', () => {
    expect(
      named('kubernetes:apps/v1:Deployment', 'api-blue').spec.template.spec.containers[0].image,
    ).toBe('repo/services:1.4.2');
    expect(
      named('kubernetes:apps/v1:Deployment', 'api-green').spec.template.spec.containers[0].image,
    ).toBe('repo/services:1.5.0');
    expect(
      named('kubernetes:core/v1:Service', 'api-service').spec.selector['aia-platform.dev/color'],
    ).toBe('green');
    expect(
      named('kubernetes:core/v1:Service', 'api-blue-service').spec.selector[
        'aia-platform.dev/color'
      ],
    ).toBe('blue');
  });

  it('takes requests, limits and autoscaling bounds from the catalog for the stack', () => {
    const container = named('kubernetes:apps/v1:Deployment', 'governor-default').spec.template.spec
      .containers[0];
    expect(container.resources).toEqual(catalog['economic-governor'].resources.production);
    const hpa = named('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'governor-default-hpa');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(
      named('kubernetes:policy/v1:PodDisruptionBudget', 'governor-default-pdb').spec.maxUnavailable,
    ).toBe(1);
  });

  it('binds the Kubernetes service account to a Google one through Workload Identity', () => {
    expect(
      named('gcp:serviceaccount/iAMMember:IAMMember', 'governor-workload-identity'),
    ).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:aia-test.svc.id.goog[aia/economic-governor]',
    });
    expect(named('kubernetes:core/v1:ServiceAccount', 'governor-ksa').metadata.annotations).toEqual(
      {
        'iam.gke.io/gcp-service-account':
          'economic-governor-production@aia-test.iam.gserviceaccount.com',
      },
    );
  });

  it('runs migrations as a Job before the Deployment, only for services with a database', () => {
    const jobs = ofType(recorded, 'kubernetes:batch/v1:Job');
    expect(jobs.map((job) => job.name)).toEqual([
      expect.stringMatching(/^governor-migrate-[0-9a-f]{10}$/),
    ]);
    const job = named('kubernetes:batch/v1:Job', jobs[0]?.name ?? '');
    const command = job.spec.template.spec.containers[0].command;
    expect(command).toEqual(['/nodejs/bin/node', 'dist/services/migrate.js', 'economic-governor']);
  });

  it('keeps secrets in the Secret and lets only the gateway take load-balancer traffic', () => {
    const secretObject = ofType(recorded, 'kubernetes:core/v1:Secret').find(
      (r) => r.name === 'governor-secrets',
    );
    expect(JSON.stringify(secretObject?.inputs)).toContain('4dabf18193072939515e22adb298388d');
    const apiPolicy = named('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'api-ingress');
    const governorPolicy = named(
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'governor-ingress',
    );
    expect(JSON.stringify(apiPolicy)).toContain('35.191.0.0/16');
    expect(JSON.stringify(governorPolicy)).not.toContain('35.191.0.0/16');
  });
});
