import * as gcp from '@pulumi/gcp';
import { describe, expect, it } from 'vitest';
import { planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { gcpPolicies } from './index.js';
import { LABEL_LOCATIONS, requiredLabels } from './labels.js';
import {
  backupBucket,
  cluster,
  globalAddress,
  healthCheckFirewall,
  nodePool,
  redis,
  secret,
  sqlDisasterRecoveryReplica,
  sqlPrimary,
} from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

const network = () =>
  planned('gcp:compute/network:Network', 'aia-production-vpc', {
    autoCreateSubnetworks: false,
    name: 'aia-production-vpc',
    routingMode: 'REGIONAL',
  });

describe('required labels policy', () => {
  it('passes labelled resources, and resources without labels, under every GCP policy', async () => {
    const resources = [
      cluster(),
      nodePool(),
      sqlPrimary(),
      sqlDisasterRecoveryReplica(),
      redis(),
      secret(),
      globalAddress(),
      backupBucket(),
      healthCheckFirewall(),
      network(),
    ];
    expect(await violationsOf(gcpPolicies, resources)).toEqual([]);
  });

  it('names every missing label where the type keeps its labels', async () => {
    const instance = withInput(sqlPrimary(), 'settings.userLabels', { environment: 'production' });
    expect(await violationsOf([requiredLabels], [instance])).toEqual([
      violation(
        requiredLabels,
        instance,
        "gcp:sql/databaseInstance:DatabaseInstance 'aia-production-postgres' lacks the required labels owner, service: set settings.userLabels.owner, settings.userLabels.service (every labelable resource carries owner, environment, service).",
      ),
    ]);
  });

  it('looks for node pool labels under nodeConfig.resourceLabels', async () => {
    const pool = withInput(nodePool(), 'nodeConfig.resourceLabels.owner', undefined);
    const [found] = await violationsOf([requiredLabels], [pool]);
    expect(found?.message).toBe(
      "gcp:container/nodePool:NodePool 'general' lacks the required label owner: set nodeConfig.resourceLabels.owner (every labelable resource carries owner, environment, service).",
    );
  });

  it('treats an empty label value as missing and names a secret by its secretId', async () => {
    const unlabelled = withInput(secret(), 'labels.service', '');
    const [found] = await violationsOf([requiredLabels], [unlabelled]);
    expect(found?.message).toContain(
      "gcp:secretmanager/secret:Secret 'aia-production-redis-url' lacks the required label service: set labels.service",
    );
  });

  it('flags a resource with no labels at all', async () => {
    const address = withInput(globalAddress(), 'labels', undefined);
    const [found] = await violationsOf([requiredLabels], [address]);
    expect(found?.message).toContain(
      'lacks the required labels owner, environment, service: set labels.owner, labels.environment, labels.service',
    );
  });

  it('requires the labels the policy config lists', async () => {
    const config = { 'gcp-required-labels': { requiredLabels: ['owner', 'cost-center'] } };
    const [found] = await violationsOf([requiredLabels], [redis()], config);
    expect(found?.message).toBe(
      "gcp:redis/instance:Instance 'aia-production-redis' lacks the required label cost-center: set labels.cost-center (every labelable resource carries owner, cost-center).",
    );
  });

  it('lists only types that exist in @pulumi/gcp', () => {
    const modules = gcp as unknown as Record<string, Record<string, { __pulumiType?: string }>>;
    for (const type of Object.keys(LABEL_LOCATIONS)) {
      const [, module, className] = /^gcp:([^/]+)\/[^:]+:(\w+)$/.exec(type) ?? [];
      expect(module && className && modules[module]?.[className]?.__pulumiType, type).toBe(type);
    }
  });
});
