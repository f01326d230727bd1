import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  gkeDefaultNodePool,
  gkeReleaseChannel,
  gkeShieldedNodes,
  gkeSupportedSecurityPosture,
  gkeWorkloadIdentity,
} from './gke-hardening.js';
import { gcpPolicies } from './index.js';
import { cluster } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('GKE hardening policies', () => {
  it('pass the production cluster under every GCP policy', async () => {
    expect(await violationsOf(gcpPolicies, [cluster()])).toEqual([]);
  });

  it('flag workload vulnerability modes GKE no longer offers', async () => {
    for (const mode of ['VULNERABILITY_BASIC', 'VULNERABILITY_ENTERPRISE']) {
      const retired = withInput(cluster(), 'securityPostureConfig.vulnerabilityMode', mode);
      expect(await violationsOf([gkeSupportedSecurityPosture], [retired])).toEqual([
        violation(
          gkeSupportedSecurityPosture,
          retired,
          `GKE cluster 'aia-production-cluster' asks for workload vulnerability scanning ${mode}, which GKE no longer offers: set securityPostureConfig.vulnerabilityMode to VULNERABILITY_DISABLED and scan images with Artifact Analysis in Artifact Registry.`,
        ),
      ]);
    }
  });

  it('flag a cluster without a Workload Identity pool', async () => {
    const noPool = withInput(cluster(), 'workloadIdentityConfig', undefined);
    expect(await violationsOf([gkeWorkloadIdentity], [noPool])).toEqual([
      violation(
        gkeWorkloadIdentity,
        noPool,
        "GKE cluster 'aia-production-cluster' has no Workload Identity pool: set workloadIdentityConfig.workloadPool to 'aia-platform-production.svc.id.goog'.",
      ),
    ]);
  });

  it('flag shielded nodes turned off, and rely on the provider default when unset', async () => {
    const off = withInput(cluster(), 'enableShieldedNodes', false);
    const unset = withInput(cluster(), 'enableShieldedNodes', undefined);
    expect(await violationsOf([gkeShieldedNodes], [off, unset])).toEqual([
      violation(
        gkeShieldedNodes,
        off,
        "GKE cluster 'aia-production-cluster' turns shielded nodes off: set enableShieldedNodes to true.",
      ),
    ]);
  });

  it('flag a cluster outside a release channel', async () => {
    const unspecified = withInput(cluster(), 'releaseChannel.channel', 'UNSPECIFIED');
    expect(await violationsOf([gkeReleaseChannel], [unspecified])).toEqual([
      violation(
        gkeReleaseChannel,
        unspecified,
        "GKE cluster 'aia-production-cluster' is not enrolled in a release channel (channel UNSPECIFIED): set releaseChannel.channel to STABLE, REGULAR or RAPID.",
      ),
    ]);
    const unset = withInput(cluster(), 'releaseChannel', undefined);
    const [found] = await violationsOf([gkeReleaseChannel], [unset]);
    expect(found?.message).toContain('(channel unset)');
  });

  it('accept a kept default node pool with a dedicated service account and secure boot', async () => {
    const kept = withInput(cluster(), 'removeDefaultNodePool', false);
    expect(await violationsOf([gkeDefaultNodePool], [kept])).toEqual([]);
  });

  it('flag a kept default node pool on the default compute service account without secure boot', async () => {
    const kept = withInput(withInput(cluster(), 'removeDefaultNodePool', undefined), 'nodeConfig', {
      serviceAccount: '123456789012-compute@developer.gserviceaccount.com',
    });
    expect(await violationsOf([gkeDefaultNodePool], [kept])).toEqual([
      violation(
        gkeDefaultNodePool,
        kept,
        "GKE cluster 'aia-production-cluster' keeps a default node pool that runs as the Compute Engine default service account: set removeDefaultNodePool to true and declare node pools separately, or set nodeConfig.serviceAccount to a dedicated least-privilege service account.",
      ),
      violation(
        gkeDefaultNodePool,
        kept,
        "GKE cluster 'aia-production-cluster' keeps a default node pool without secure boot: set removeDefaultNodePool to true, or set nodeConfig.shieldedInstanceConfig.enableSecureBoot to true.",
      ),
    ]);
  });

  it('leave Autopilot clusters, which have no default node pool, alone', async () => {
    const autopilot = withInput(
      withInput(withInput(cluster(), 'removeDefaultNodePool', undefined), 'nodeConfig', undefined),
      'enableAutopilot',
      true,
    );
    expect(await violationsOf([gkeDefaultNodePool], [autopilot])).toEqual([]);
  });
});
