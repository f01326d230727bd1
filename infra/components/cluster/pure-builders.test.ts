import { describe, expect, it } from 'vitest';
import { authorizedNetworkBlocks } from './authorized-networks.js';
import { controlPlaneAccess, dnsEndpointOf } from './control-plane-access.js';
import { binaryAuthorizationMode } from './defaults.js';
import { kubeconfigFor } from './kubeconfig.js';
import { clusterLocation } from './location.js';
import { nodeConfig } from './node-config.js';
import { nodeServiceAccountId } from './node-service-account.js';

describe('authorizedNetworkBlocks', () => {
  it('turns the name → CIDR map into blocks sorted by name', () => {
    expect(authorizedNetworkBlocks({ vpn: '10.8.0.0/24', ci: '198.51.100.0/24' })).toEqual([
      { displayName: 'ci', cidrBlock: '198.51.100.0/24' },
      { displayName: 'vpn', cidrBlock: '10.8.0.0/24' },
    ]);
  });

  it('refuses any /0 with a sentence naming the entry', () => {
    expect(() => authorizedNetworkBlocks({ ci: '10.0.0.0/8', everyone: '0.0.0.0/0' })).toThrow(
      /"everyone" is 0\.0\.0\.0\/0, which would open the Kubernetes API server to the whole internet/,
    );
    expect(() => authorizedNetworkBlocks({ wide: '128.0.0.0/0' })).toThrow(
      /"wide" is 128\.0\.0\.0\/0/,
    );
  });
});

describe('clusterLocation', () => {
  const zones = ['us-central1-a', 'us-central1-b', 'us-central1-c'];

  it('puts a regional cluster in the region with nodes in every zone', () => {
    expect(clusterLocation({ region: 'us-central1', zones, regional: true })).toEqual({
      location: 'us-central1',
      nodeLocations: zones,
    });
  });

  it('puts a zonal cluster in the first zone and lists only the other zones', () => {
    expect(clusterLocation({ region: 'us-central1', zones, regional: false })).toEqual({
      location: 'us-central1-a',
      nodeLocations: ['us-central1-b', 'us-central1-c'],
    });
    expect(
      clusterLocation({ region: 'us-central1', zones: ['us-central1-f'], regional: false }),
    ).toEqual({ location: 'us-central1-f' });
  });

  it('refuses no zones, or zones outside the region', () => {
    expect(() => clusterLocation({ region: 'us-central1', zones: [], regional: true })).toThrow(
      /needs at least one zone/,
    );
    expect(() =>
      clusterLocation({ region: 'us-central1', zones: ['europe-west1-b'], regional: true }),
    ).toThrow('Zones europe-west1-b are not in region us-central1');
  });
});

describe('nodeServiceAccountId', () => {
  it('names the account after the cluster', () => {
    expect(nodeServiceAccountId('aia-production')).toBe('aia-production-nodes');
  });

  it('refuses a cluster name that makes the id too long', () => {
    expect(() => nodeServiceAccountId('aia-platform-production-eu')).toThrow(
      /must be 6 to 30 lower-case letters.*choose a shorter cluster name/,
    );
  });
});

describe('nodeConfig', () => {
  it('defaults to on-demand VMs with the hardened settings', () => {
    expect(
      nodeConfig({
        serviceAccount: 'nodes@p.iam.gserviceaccount.com',
        nodeTag: 'gke-node',
        labels: {},
      }),
    ).toMatchObject({
      spot: false,
      imageType: 'COS_CONTAINERD',
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
    });
  });
});

describe('binaryAuthorizationMode', () => {
  it('enforces the project policy or disables evaluation', () => {
    expect(binaryAuthorizationMode(true)).toBe('PROJECT_SINGLETON_POLICY_ENFORCE');
    expect(binaryAuthorizationMode(false)).toBe('DISABLED');
  });
});

describe('kubeconfigFor', () => {
  const dnsEndpoint = 'gke-0123456789abcdef-aia-prod.us-central1.gke.goog';
  const kubeconfig = JSON.parse(kubeconfigFor({ name: 'aia-prod-cluster', dnsEndpoint }));

  it('points one context at the DNS endpoint, trusting the public CAs', () => {
    expect(kubeconfig['current-context']).toBe('aia-prod-cluster');
    expect(kubeconfig.contexts).toEqual([
      {
        name: 'aia-prod-cluster',
        context: { cluster: 'aia-prod-cluster', user: 'aia-prod-cluster' },
      },
    ]);
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: `https://${dnsEndpoint}` });
  });

  it('holds no credential, only the gke-gcloud-auth-plugin exec plugin', () => {
    expect(kubeconfig.users[0].user).toEqual({
      exec: expect.objectContaining({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'gke-gcloud-auth-plugin',
        provideClusterInfo: true,
      }),
    });
  });

  it('refuses an IP address, which would bypass the IAM-checked DNS endpoint', () => {
    expect(() => kubeconfigFor({ name: 'c', dnsEndpoint: '203.0.113.10' })).toThrow(
      /"203\.0\.113\.10" is not a DNS name/,
    );
  });
});

describe('controlPlaneAccess', () => {
  const masterCidr = '172.16.0.0/28';

  it('closes the public IP endpoint and opens the DNS endpoint to IAM-authorised callers', () => {
    expect(
      controlPlaneAccess({ masterCidr, masterAuthorizedNetworks: { nodes: '10.0.0.0/20' } }),
    ).toEqual({
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: true,
        masterIpv4CidrBlock: masterCidr,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: [{ displayName: 'nodes', cidrBlock: '10.0.0.0/20' }],
        gcpPublicCidrsAccessEnabled: false,
      },
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: {
          allowExternalTraffic: true,
          enableK8sTokensViaDns: false,
          enableK8sCertsViaDns: false,
        },
        ipEndpointsConfig: { enabled: true },
      },
    });
  });

  it('refuses documentation ranges, public ranges and /0 with a sentence naming the entry', () => {
    const access = (cidr: string) =>
      controlPlaneAccess({ masterCidr, masterAuthorizedNetworks: { ci: cidr } });
    expect(() => access('198.51.100.0/24')).toThrow(
      /"ci" is 198\.51\.100\.0\/24, a documentation range/,
    );
    expect(() => access('192.0.2.0/24')).toThrow(/a documentation range/);
    expect(() => access('35.235.240.0/20')).toThrow(/"ci" is 35\.235\.240\.0\/20, a public range/);
    expect(() => access('0.0.0.0/0')).toThrow(/would open the Kubernetes API server/);
  });
});

describe('dnsEndpointOf', () => {
  it('returns the reported DNS endpoint, or says which setting is missing', () => {
    expect(dnsEndpointOf('c', { dnsEndpointConfig: { endpoint: 'gke-1.x.gke.goog' } })).toBe(
      'gke-1.x.gke.goog',
    );
    expect(() => dnsEndpointOf('c', undefined)).toThrow(
      /Cluster c reported no DNS endpoint: set controlPlaneEndpointsConfig\.dnsEndpointConfig\.allowExternalTraffic/,
    );
  });
});
