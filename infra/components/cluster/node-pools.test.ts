import { beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../../test/harness/pulumi-mock-stack.js';
import { type ClusterStack, clusterStack, labels } from './mock-stack.js';
import { nodeServiceAccountRoles } from './node-service-account.js';

let stack: ClusterStack;
beforeAll(async () => {
  stack = await clusterStack();
});

describe('GkeCluster node pools and node identity (mocks)', () => {
  it('gives nodes a dedicated service account with only the roles they need', async () => {
    const email = 'aia-prod-nodes@aia-test.iam.gserviceaccount.com';
    expect(stack.named('aia-prod-nodes').plain).toMatchObject({ accountId: 'aia-prod-nodes' });
    const grants = stack
      .ofType('gcp:projects/iAMMember:IAMMember', 'aia-prod')
      .map(({ plain }) => plain);
    expect(grants.map(({ role }) => role).sort()).toEqual(
      Object.values(nodeServiceAccountRoles).sort(),
    );
    for (const grant of grants) expect(grant.member).toBe(`serviceAccount:${email}`);
    expect(await resolve(stack.regional.nodeServiceAccountEmail)).toBe(email);
  });

  it('hardens every node pool, the removed default pool included', () => {
    const configs = [
      ...stack.ofType('gcp:container/cluster:Cluster', 'aia-').map(({ plain }) => plain.nodeConfig),
      ...stack
        .ofType('gcp:container/nodePool:NodePool', 'aia-')
        .map(({ plain }) => plain.nodeConfig),
    ];
    expect(configs).toHaveLength(5);
    for (const config of configs) {
      expect(config).toMatchObject({
        imageType: 'COS_CONTAINERD',
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        resourceLabels: labels,
        tags: ['gke-node'],
      });
      const account = (config as { serviceAccount: string }).serviceAccount;
      expect(account).toMatch(/^aia-(prod|stg)-nodes@aia-test\.iam\.gserviceaccount\.com$/);
      expect(account).not.toMatch(/-compute@developer\.gserviceaccount\.com$|^default$/);
    }
  });

  it('autoscales each pool within its bounds, with auto-repair, auto-upgrade and surge upgrades', () => {
    expect(stack.named('aia-prod-general').plain).toMatchObject({
      name: 'general',
      cluster: 'aia-prod-cluster',
      location: 'europe-west1',
      autoscaling: { minNodeCount: 1, maxNodeCount: 5 },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: 'e2-standard-4',
        diskSizeGb: 100,
        diskType: 'pd-balanced',
        spot: false,
      },
    });
    expect(stack.named('aia-prod-batch').plain).toMatchObject({
      autoscaling: { minNodeCount: 0, maxNodeCount: 3 },
      nodeConfig: { machineType: 'e2-standard-8', spot: true, labels: { 'node-pool': 'batch' } },
    });
  });
});
