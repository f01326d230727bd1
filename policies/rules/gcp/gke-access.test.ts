import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  gkeDnsEndpointAccess,
  gkeMasterAuthorizedNetworks,
  gkeNoClientCertificate,
  gkeNoLegacyAbac,
  gkePrivateNodes,
} from './gke-access.js';
import { gcpPolicies } from './index.js';
import { cluster } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('GKE access policies', () => {
  it('pass the production cluster under every GCP policy', async () => {
    expect(await violationsOf(gcpPolicies, [cluster()])).toEqual([]);
  });

  it('flag a cluster whose nodes get public IP addresses', async () => {
    const publicNodes = withInput(cluster(), 'privateClusterConfig', undefined);
    expect(await violationsOf([gkePrivateNodes], [publicNodes])).toEqual([
      violation(
        gkePrivateNodes,
        publicNodes,
        "GKE cluster 'aia-production-cluster' gives its nodes public IP addresses: set privateClusterConfig.enablePrivateNodes to true (with a masterIpv4CidrBlock) and reach the internet through Cloud NAT.",
      ),
    ]);
  });

  it('flag a control plane open to 0.0.0.0/0', async () => {
    const open = withInput(cluster(), 'masterAuthorizedNetworksConfig.cidrBlocks', [
      { cidrBlock: '10.40.0.0/20', displayName: 'nodes' },
      { cidrBlock: '0.0.0.0/0', displayName: 'anywhere' },
    ]);
    expect(await violationsOf([gkeMasterAuthorizedNetworks], [open])).toEqual([
      violation(
        gkeMasterAuthorizedNetworks,
        open,
        "GKE cluster 'aia-production-cluster' authorizes 0.0.0.0/0 to reach its control plane: remove it from masterAuthorizedNetworksConfig.cidrBlocks and list only the networks that administer the cluster.",
      ),
    ]);
  });

  it('flag a cluster without master authorized networks', async () => {
    const unrestricted = withInput(cluster(), 'masterAuthorizedNetworksConfig', undefined);
    expect(await violationsOf([gkeMasterAuthorizedNetworks], [unrestricted])).toEqual([
      violation(
        gkeMasterAuthorizedNetworks,
        unrestricted,
        "GKE cluster 'aia-production-cluster' has no master authorized networks, so any address can reach its control plane: set masterAuthorizedNetworksConfig.cidrBlocks to the networks that administer it.",
      ),
    ]);
  });

  it('flag a control plane open to every Google Cloud public IP', async () => {
    const open = withInput(
      cluster(),
      'masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled',
      true,
    );
    const [found] = await violationsOf([gkeMasterAuthorizedNetworks], [open]);
    expect(found?.message).toBe(
      "GKE cluster 'aia-production-cluster' lets every Google Cloud public IP reach its control plane: set masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled to false.",
    );
  });

  it('flag a documentation range, which locks every real client out', async () => {
    const locked = withInput(cluster(), 'masterAuthorizedNetworksConfig.cidrBlocks', [
      { cidrBlock: '10.40.0.0/20', displayName: 'nodes' },
      { cidrBlock: '198.51.100.0/24', displayName: 'office-vpn' },
    ]);
    expect(await violationsOf([gkeMasterAuthorizedNetworks], [locked])).toEqual([
      violation(
        gkeMasterAuthorizedNetworks,
        locked,
        "GKE cluster 'aia-production-cluster' authorizes 198.51.100.0/24, a documentation range (RFC 5737) no real client uses: remove it from masterAuthorizedNetworksConfig.cidrBlocks and reach the control plane through its DNS endpoint with IAM.",
      ),
    ]);
  });

  it('flag a public range on a private IP endpoint', async () => {
    const unreachable = withInput(cluster(), 'masterAuthorizedNetworksConfig.cidrBlocks', [
      { cidrBlock: '34.100.0.0/24', displayName: 'ci' },
    ]);
    const [found] = await violationsOf([gkeMasterAuthorizedNetworks], [unreachable]);
    expect(found?.message).toBe(
      "GKE cluster 'aia-production-cluster' authorizes the public range 34.100.0.0/24 on a private IP endpoint: remove it from masterAuthorizedNetworksConfig.cidrBlocks; clients outside the VPC use the DNS endpoint with IAM.",
    );
  });

  it('flag a public IP endpoint (the shape before the DNS endpoint)', async () => {
    const publicEndpoint = withInput(
      cluster(),
      'privateClusterConfig.enablePrivateEndpoint',
      false,
    );
    expect(await violationsOf([gkeDnsEndpointAccess], [publicEndpoint])).toEqual([
      violation(
        gkeDnsEndpointAccess,
        publicEndpoint,
        "GKE cluster 'aia-production-cluster' serves the Kubernetes API on a public IP address: set privateClusterConfig.enablePrivateEndpoint to true and reach the control plane through its DNS endpoint with IAM.",
      ),
    ]);
    // No IP endpoints at all is as closed.
    const noIp = withInput(
      publicEndpoint,
      'controlPlaneEndpointsConfig.ipEndpointsConfig.enabled',
      false,
    );
    expect(await violationsOf([gkeDnsEndpointAccess], [noIp])).toEqual([]);
  });

  it('flag a cluster a deployer outside the VPC cannot reach', async () => {
    const unreachable = withInput(cluster(), 'controlPlaneEndpointsConfig', undefined);
    expect(await violationsOf([gkeDnsEndpointAccess], [unreachable])).toEqual([
      violation(
        gkeDnsEndpointAccess,
        unreachable,
        "GKE cluster 'aia-production-cluster' cannot be reached by a deployer outside its VPC: set controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic to true (callers need the IAM permission container.clusters.connect).",
      ),
    ]);
  });

  it('flag Kubernetes tokens or certificates accepted on the DNS endpoint', async () => {
    const tokens = withInput(
      cluster(),
      'controlPlaneEndpointsConfig.dnsEndpointConfig.enableK8sTokensViaDns',
      true,
    );
    const [found] = await violationsOf([gkeDnsEndpointAccess], [tokens]);
    expect(found?.message).toBe(
      "GKE cluster 'aia-production-cluster' accepts Kubernetes tokens or client certificates on its DNS endpoint, which IAM does not check: set controlPlaneEndpointsConfig.dnsEndpointConfig.enableK8sTokensViaDns and enableK8sCertsViaDns to false.",
    );
  });

  it('flag legacy ABAC', async () => {
    const abac = withInput(cluster(), 'enableLegacyAbac', true);
    expect(await violationsOf([gkeNoLegacyAbac], [abac])).toEqual([
      violation(
        gkeNoLegacyAbac,
        abac,
        "GKE cluster 'aia-production-cluster' has legacy ABAC on: set enableLegacyAbac to false and grant access with RBAC.",
      ),
    ]);
  });

  it('flag client certificate issuance', async () => {
    const certificate = withInput(
      cluster(),
      'masterAuth.clientCertificateConfig.issueClientCertificate',
      true,
    );
    expect(await violationsOf([gkeNoClientCertificate], [certificate])).toEqual([
      violation(
        gkeNoClientCertificate,
        certificate,
        "GKE cluster 'aia-production-cluster' issues a client certificate that cannot be revoked: set masterAuth.clientCertificateConfig.issueClientCertificate to false and authenticate with IAM.",
      ),
    ]);
  });
});
