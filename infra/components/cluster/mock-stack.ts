import * as pulumi from '@pulumi/pulumi';
import {
  ofType,
  type RecordedResource,
  resolve,
  serviceAccountOutputs,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { resourceLabels } from '../labels.js';
import { GkeCluster, type GkeClusterArgs } from './cluster.js';

/** Test support: one mocked stack holding a regional and a zonal cluster. Not for programs. */

/** What the provider would compute and the component reads. */
function computed(resource: RecordedResource): Record<string, unknown> {
  const { type, plain } = resource;
  if (type === 'gcp:serviceaccount/account:Account') return serviceAccountOutputs(resource);
  if (type === 'gcp:container/cluster:Cluster') {
    const masterAuth = { ...(plain.masterAuth as object), clusterCaCertificate: 'Q0EgY2VydA==' };
    const endpoints = plain.controlPlaneEndpointsConfig as {
      dnsEndpointConfig?: Record<string, unknown>;
    };
    // GKE gives every cluster a DNS endpoint; the provider reports it whatever the inputs.
    const dnsEndpointConfig = {
      ...endpoints?.dnsEndpointConfig,
      endpoint: `gke-0123456789abcdef-${plain.name}.${plain.location}.gke.goog`,
    };
    return {
      endpoint: '10.0.0.2',
      masterAuth,
      controlPlaneEndpointsConfig: { ...endpoints, dnsEndpointConfig },
    };
  }
  return {};
}

export const labels = resourceLabels({ environment: 'test' });
export const pool = {
  machineType: 'e2-standard-4',
  diskSizeGb: 100,
  diskType: 'pd-balanced',
  spot: false,
};
/** The regional cluster's arguments; the zonal one differs where staging would. */
export const base: GkeClusterArgs = {
  project: 'aia-test',
  region: 'europe-west1',
  zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
  regional: true,
  network: 'projects/aia-test/global/networks/aia-test-vpc',
  subnetwork: 'projects/aia-test/regions/europe-west1/subnetworks/aia-test-subnet',
  podsRangeName: 'pods',
  servicesRangeName: 'services',
  masterCidr: '172.16.0.0/28',
  masterAuthorizedNetworks: { nodes: '10.40.0.0/20', 'vpn-runners': '10.8.0.0/24' },
  releaseChannel: 'STABLE',
  binaryAuthorization: true,
  secretsEncryptionKey:
    'projects/aia-test/locations/europe-west1/keyRings/aia-test-gke/cryptoKeys/gke-secrets',
  deletionProtection: true,
  nodePools: {
    general: { ...pool, minNodes: 1, maxNodes: 5 },
    batch: { ...pool, machineType: 'e2-standard-8', minNodes: 0, maxNodes: 3, spot: true },
  },
  labels,
};

export interface ClusterStack {
  readonly recorded: readonly RecordedResource[];
  /** `aia-prod`, built from {@link base}. */
  readonly regional: GkeCluster;
  /** `aia-stg`: zonal, REGULAR channel, no Binary Authorization or deletion protection. */
  readonly zonal: GkeCluster;
  /** The recorded resource of that name; throws if there is none. */
  named(name: string): RecordedResource;
  /** Resources of that type whose name starts with `namePrefix`, in registration order. */
  ofType(type: string, namePrefix: string): RecordedResource[];
}

/**
 * Sets the mocks (call once per test file), builds both clusters and waits until every resource
 * has been registered.
 */
export async function clusterStack(): Promise<ClusterStack> {
  const recorded = await startMockStack('test', computed);
  const regional = new GkeCluster('aia-prod', base);
  const zonal = new GkeCluster('aia-stg', {
    ...base,
    regional: false,
    releaseChannel: 'REGULAR',
    binaryAuthorization: false,
    deletionProtection: false,
    nodePools: { general: { ...pool, minNodes: 1, maxNodes: 2 } },
  });
  await Promise.all([regional, zonal].map((cluster) => resolve(cluster.kubeconfig)));
  await pulumi.runtime.disconnect();
  return {
    recorded,
    regional,
    zonal,
    named: (name) => {
      const resource = recorded.find((candidate) => candidate.name === name);
      if (!resource) throw new Error(`no resource named ${name} was recorded`);
      return resource;
    },
    ofType: (type, namePrefix) =>
      ofType(recorded, type).filter((resource) => resource.name.startsWith(namePrefix)),
  };
}
