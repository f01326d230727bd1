import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { gcpPolicies } from './index.js';
import {
  nodePoolAutoRepair,
  nodePoolAutoUpgrade,
  nodePoolPrivateNodes,
  nodePoolSecureBoot,
  nodePoolServiceAccount,
} from './node-pools.js';
import { nodePool } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('GKE node pool policies', () => {
  it('pass the production node pool under every GCP policy', async () => {
    expect(await violationsOf(gcpPolicies, [nodePool()])).toEqual([]);
  });

  it('flag auto-repair turned off', async () => {
    const pool = withInput(nodePool(), 'management.autoRepair', false);
    expect(await violationsOf([nodePoolAutoRepair], [pool])).toEqual([
      violation(
        nodePoolAutoRepair,
        pool,
        "GKE node pool 'general' of cluster 'aia-production-cluster' has auto-repair off: set management.autoRepair to true.",
      ),
    ]);
  });

  it('flag auto-upgrade turned off', async () => {
    const pool = withInput(nodePool(), 'management.autoUpgrade', false);
    expect(await violationsOf([nodePoolAutoUpgrade], [pool])).toEqual([
      violation(
        nodePoolAutoUpgrade,
        pool,
        "GKE node pool 'general' of cluster 'aia-production-cluster' has auto-upgrade off: set management.autoUpgrade to true.",
      ),
    ]);
  });

  it('rely on the provider defaults (on) when management is not set', async () => {
    const pool = withInput(nodePool(), 'management', undefined);
    expect(await violationsOf([nodePoolAutoRepair, nodePoolAutoUpgrade], [pool])).toEqual([]);
  });

  it('flag nodes that boot without secure boot', async () => {
    const pool = withInput(nodePool(), 'nodeConfig.shieldedInstanceConfig', undefined);
    expect(await violationsOf([nodePoolSecureBoot], [pool])).toEqual([
      violation(
        nodePoolSecureBoot,
        pool,
        "GKE node pool 'general' of cluster 'aia-production-cluster' boots without secure boot: set nodeConfig.shieldedInstanceConfig.enableSecureBoot to true.",
      ),
    ]);
  });

  it('flag nodes on the Compute Engine default service account, named or implied', async () => {
    const named = withInput(
      nodePool(),
      'nodeConfig.serviceAccount',
      '123456789012-compute@developer.gserviceaccount.com',
    );
    expect(await violationsOf([nodePoolServiceAccount], [named])).toEqual([
      violation(
        nodePoolServiceAccount,
        named,
        "GKE node pool 'general' of cluster 'aia-production-cluster' runs as the Compute Engine default service account (nodeConfig.serviceAccount '123456789012-compute@developer.gserviceaccount.com'): set nodeConfig.serviceAccount to a dedicated least-privilege service account.",
      ),
    ]);
    for (const implied of ['default', undefined]) {
      const pool = withInput(nodePool(), 'nodeConfig.serviceAccount', implied);
      const [found] = await violationsOf([nodePoolServiceAccount], [pool]);
      expect(found?.message).toContain('runs as the Compute Engine default service account');
    }
  });

  it('flag a pool that gives its nodes public IP addresses', async () => {
    const pool = withInput(nodePool(), 'networkConfig.enablePrivateNodes', false);
    expect(await violationsOf([nodePoolPrivateNodes], [pool])).toEqual([
      violation(
        nodePoolPrivateNodes,
        pool,
        "GKE node pool 'general' of cluster 'aia-production-cluster' gives its nodes public IP addresses: remove networkConfig.enablePrivateNodes or set it to true.",
      ),
    ]);
  });
});
