import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../services/catalog.js';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import { type RecordedResource, startMockStack } from '../../../test/harness/pulumi-mock-stack.js';
import { renderEnvironment } from './environment.js';
import { ServiceDeployment, type ServiceDeploymentArgs } from './service-deployment.js';

let recorded: RecordedResource[];

beforeAll(async () => {
  recorded = await startMockStack('canary', ({ type, plain }) =>
    type === 'gcp:serviceaccount/account:Account'
      ? { email: `${plain.accountId}@aia-test.iam.gserviceaccount.com` }
      : {},
  );
  new ServiceDeployment('api', {
    project: 'aia-test',
    stack: 'production',
    namespace: 'aia',
    migrate: false,
    prometheusRelease: 'kube-prometheus-stack',
    readableSecrets: {},
    shutdownTimeoutSeconds: 10,
    labels: { owner: 'platform', environment: 'production', service: 'aia-api' },
    definition: catalog['aia-api'],
    environment: renderEnvironment('aia-api', catalog['aia-api'].env, {
      PORT: '8000',
      JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
      JWT_SIGNING_KEY: pulumi.secret(testJwtEnv.JWT_SIGNING_KEY),
    }),
    images: { blue: 'repo/services@sha256:1', green: 'repo/services@sha256:2' },
    activeColor: 'blue',
    canary: { colour: 'green', percent: 10 },
    public: true,
  } as ServiceDeploymentArgs);
  await pulumi.runtime.disconnect();
});

// biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON that tests index freely
const plainOf = (type: string, name: string): any => {
  const found = recorded.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`${type} ${name} was not recorded`);
  return found.plain;
};

describe('a replica-ratio canary of the blue-green gateway', () => {
  it('routes the stable Service to both colours', () => {
    const selector = plainOf('kubernetes:core/v1:Service', 'api-service').spec.selector;
    expect(selector).not.toHaveProperty('aia-platform.dev/color');
    expect(selector['app.kubernetes.io/name']).toBe('aia-api');
    // Each colour's own Service still selects its colour alone (smoke tests, the watch).
    expect(
      plainOf('kubernetes:core/v1:Service', 'api-green-service').spec.selector[
        'aia-platform.dev/color'
      ],
    ).toBe('green');
  });

  it('holds the new colour at 2 pods of 20 and the live colour at 18 (two per colour at least)', () => {
    const hpa = (colour: string) =>
      plainOf('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', `api-${colour}-hpa`).spec;
    expect(hpa('green')).toMatchObject({ minReplicas: 2, maxReplicas: 2 });
    expect(hpa('blue')).toMatchObject({ minReplicas: 18, maxReplicas: 18 });
  });
});
