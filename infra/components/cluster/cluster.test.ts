import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolve, SECRET_SIGNATURE_KEY } from '../../../test/harness/pulumi-mock-stack.js';
import { GkeCluster } from './cluster.js';
import { base, type ClusterStack, clusterStack, labels } from './mock-stack.js';

let stack: ClusterStack;
beforeAll(async () => {
  stack = await clusterStack();
});

describe('GkeCluster (mocks)', () => {
  it('records the cluster, its pools, the node identity and the Kubernetes provider', () => {
    expect(stack.ofType('aia:platform:GkeCluster', 'aia-').map(({ name }) => name)).toEqual([
      'aia-prod',
      'aia-stg',
    ]);
    expect(
      stack.ofType('gcp:container/nodePool:NodePool', 'aia-prod').map(({ name }) => name),
    ).toEqual(['aia-prod-general', 'aia-prod-batch']);
    expect(stack.ofType('gcp:projects/iAMMember:IAMMember', 'aia-prod')).toHaveLength(6);
    expect(stack.ofType('pulumi:providers:kubernetes', 'aia-prod')).toHaveLength(1);
    expect(stack.named('aia-prod-cluster').type).toBe('gcp:container/cluster:Cluster');
    expect(stack.named('aia-prod-nodes').type).toBe('gcp:serviceaccount/account:Account');
  });

  it('parents its children to the component', async () => {
    expect(await resolve(stack.regional.provider.urn)).toContain(
      'aia:platform:GkeCluster$pulumi:providers:kubernetes::aia-prod-k8s',
    );
  });

  it('keeps nodes and the IP endpoint private, listing only internal networks', () => {
    const cluster = stack.named('aia-prod-cluster').plain;
    expect(cluster.privateClusterConfig).toEqual({
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: '172.16.0.0/28',
    });
    expect(cluster.masterAuthorizedNetworksConfig).toEqual({
      cidrBlocks: [
        { displayName: 'nodes', cidrBlock: '10.40.0.0/20' },
        { displayName: 'vpn-runners', cidrBlock: '10.8.0.0/24' },
      ],
      gcpPublicCidrsAccessEnabled: false,
    });
    expect(JSON.stringify(stack.recorded.map(({ plain }) => plain))).not.toContain('0.0.0.0/0');
    expect(cluster.masterAuth).toEqual({
      clientCertificateConfig: { issueClientCertificate: false },
    });
    expect(cluster.enableLegacyAbac).toBe(false);
  });

  it('opens the DNS endpoint to callers outside the VPC, authorised by IAM only', () => {
    expect(stack.named('aia-prod-cluster').plain.controlPlaneEndpointsConfig).toEqual({
      dnsEndpointConfig: {
        allowExternalTraffic: true,
        enableK8sTokensViaDns: false,
        enableK8sCertsViaDns: false,
      },
      ipEndpointsConfig: { enabled: true },
    });
  });

  it('uses a workload vulnerability mode GKE still supports', () => {
    // VULNERABILITY_BASIC was removed by GKE in July 2025: a cluster asking for it fails to create.
    expect(stack.named('aia-prod-cluster').plain.securityPostureConfig).toEqual({
      mode: 'BASIC',
      vulnerabilityMode: 'VULNERABILITY_DISABLED',
    });
  });

  it('turns on Workload Identity, shielded nodes, Dataplane V2 and the release channel', async () => {
    expect(stack.named('aia-prod-cluster').plain).toMatchObject({
      workloadIdentityConfig: { workloadPool: 'aia-test.svc.id.goog' },
      enableShieldedNodes: true,
      datapathProvider: 'ADVANCED_DATAPATH',
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
      },
      releaseChannel: { channel: 'STABLE' },
      resourceLabels: labels,
    });
    expect(stack.named('aia-stg-cluster').plain.releaseChannel).toEqual({ channel: 'REGULAR' });
    expect(await resolve(stack.regional.workloadIdentityPool)).toBe('aia-test.svc.id.goog');
  });

  it('encrypts Secrets in etcd with the Cloud KMS key it is given', () => {
    expect(stack.named('aia-prod-cluster').plain.databaseEncryption).toEqual({
      state: 'ENCRYPTED',
      keyName: base.secretsEncryptionKey,
    });
  });

  it('enforces Binary Authorization only when asked', () => {
    expect(stack.named('aia-prod-cluster').plain.binaryAuthorization).toEqual({
      evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE',
    });
    expect(stack.named('aia-stg-cluster').plain.binaryAuthorization).toEqual({
      evaluationMode: 'DISABLED',
    });
  });

  it('passes deletion protection through and removes the default node pool', () => {
    expect(stack.named('aia-prod-cluster').plain).toMatchObject({
      deletionProtection: true,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
    });
    expect(stack.named('aia-stg-cluster').plain.deletionProtection).toBe(false);
  });

  it('runs a regional control plane across the zones, or a zonal one in the first zone', async () => {
    expect(stack.named('aia-prod-cluster').plain).toMatchObject({
      location: 'europe-west1',
      nodeLocations: base.zones,
    });
    expect(stack.named('aia-stg-cluster').plain).toMatchObject({
      location: 'europe-west1-b',
      nodeLocations: ['europe-west1-c', 'europe-west1-d'],
    });
    expect(await resolve(stack.zonal.location)).toBe('europe-west1-b');
  });

  it('outputs a secret kubeconfig for the DNS endpoint that authenticates through gke-gcloud-auth-plugin', async () => {
    expect(await pulumi.isSecret(stack.regional.kubeconfig)).toBe(true);
    const kubeconfig = JSON.parse(await resolve(stack.regional.kubeconfig));
    const dnsEndpoint = 'gke-0123456789abcdef-aia-prod-cluster.europe-west1.gke.goog';
    expect(kubeconfig.clusters[0].cluster).toEqual({ server: `https://${dnsEndpoint}` });
    expect(kubeconfig.users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
    expect(await resolve(stack.regional.dnsEndpoint)).toBe(dnsEndpoint);
    expect(await resolve(stack.regional.endpoint)).toBe('10.0.0.2');
    expect(await resolve(stack.regional.caCertificate)).toBe('Q0EgY2VydA==');
  });

  it('builds the Kubernetes provider from the secret kubeconfig, with server-side apply', () => {
    const provider = stack.named('aia-prod-k8s');
    expect(provider.type).toBe('pulumi:providers:kubernetes');
    expect(provider.inputs.kubeconfig).toHaveProperty(SECRET_SIGNATURE_KEY);
    expect(String(provider.plain.kubeconfig)).toContain('gke-gcloud-auth-plugin');
    expect(provider.plain).toMatchObject({
      enableServerSideApply: 'true',
      deleteUnreachable: 'false',
    });
  });

  it('refuses 0.0.0.0/0 as an authorized network before registering anything', () => {
    const before = stack.recorded.length;
    expect(
      () =>
        new GkeCluster('aia-open', {
          ...base,
          masterAuthorizedNetworks: { anywhere: '0.0.0.0/0' },
        }),
    ).toThrow(
      'Master authorized network "anywhere" is 0.0.0.0/0, which would open the Kubernetes API server to the whole internet',
    );
    expect(stack.recorded).toHaveLength(before);
  });

  it('refuses documentation and public ranges before registering anything', () => {
    const before = stack.recorded.length;
    expect(
      () =>
        new GkeCluster('aia-doc', {
          ...base,
          masterAuthorizedNetworks: { 'office-vpn': '198.51.100.0/24' },
        }),
    ).toThrow(/"office-vpn" is 198\.51\.100\.0\/24, a documentation range .* DNS endpoint/);
    expect(
      () =>
        new GkeCluster('aia-pub', {
          ...base,
          masterAuthorizedNetworks: { office: '8.8.8.0/24' },
        }),
    ).toThrow(/"office" is 8\.8\.8\.0\/24, a public range/);
    expect(stack.recorded).toHaveLength(before);
  });
});
