import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { Network } from './network.js';

let recorded: RecordedResource[];
const one = (type: string): RecordedResource => {
  const [resource, ...others] = ofType(recorded, type);
  if (!resource || others.length > 0) throw new Error(`expected exactly one ${type}`);
  return resource;
};

const labels = {
  owner: 'platform',
  environment: 'test',
  service: 'platform',
  'managed-by': 'pulumi',
};
let network: Network;

beforeAll(async () => {
  recorded = await startMockStack('test', ({ name }) => ({
    selfLink: `https://www.googleapis.com/compute/v1/projects/aia-test/global/${name}`,
  }));
  network = new Network('aia-test', {
    project: 'aia-test',
    region: 'europe-west1',
    subnetCidr: '10.0.0.0/20',
    podsCidr: '10.4.0.0/14',
    servicesCidr: '10.8.0.0/20',
    masterCidr: '172.16.0.0/28',
    privateServicesCidr: '10.30.0.0/16',
    labels,
  });
  await resolve(network.networkId);
  await resolve(network.privateServicesConnection.id);
  await pulumi.runtime.disconnect();
});

describe('Network (mocks)', () => {
  it('registers its resources as children of the component', async () => {
    expect(recorded.map(({ type }) => type).sort()).toEqual([
      'aia:platform:Network',
      ...Array(4).fill('gcp:compute/firewall:Firewall'),
      'gcp:compute/globalAddress:GlobalAddress',
      'gcp:compute/network:Network',
      'gcp:compute/router:Router',
      'gcp:compute/routerNat:RouterNat',
      'gcp:compute/subnetwork:Subnetwork',
      'gcp:dns/managedZone:ManagedZone',
      ...Array(2).fill('gcp:dns/recordSet:RecordSet'),
      'gcp:servicenetworking/connection:Connection',
    ]);
    expect(one('aia:platform:Network').name).toBe('aia-test');
    for (const resource of recorded.filter(({ type }) => type !== 'aia:platform:Network')) {
      expect(resource.name).toMatch(/^aia-test-/);
    }
    expect(await resolve(network.subnetwork.urn)).toContain('aia:platform:Network$gcp:compute/');
  });

  it('creates a custom-mode regional VPC and exposes its id', async () => {
    expect(one('gcp:compute/network:Network').plain).toMatchObject({
      name: 'aia-test-vpc',
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    expect(await resolve(network.networkId)).toBe('aia-test-vpc-id');
  });

  it('gives the subnet pod and service ranges, private Google access and flow logs', () => {
    const subnet = one('gcp:compute/subnetwork:Subnetwork').plain;
    expect(subnet).toMatchObject({
      ipCidrRange: '10.0.0.0/20',
      region: 'europe-west1',
      network: 'aia-test-vpc-id',
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: network.podsRangeName, ipCidrRange: '10.4.0.0/14' },
        { rangeName: network.servicesRangeName, ipCidrRange: '10.8.0.0/20' },
      ],
    });
    expect(subnet.logConfig).toMatchObject({ metadata: 'INCLUDE_ALL_METADATA' });
    expect([network.podsRangeName, network.servicesRangeName]).toEqual(['pods', 'services']);
  });

  it('sends egress through Cloud NAT with auto-allocated addresses and error logging', () => {
    const router = one('gcp:compute/router:Router').plain;
    expect(router).toMatchObject({ network: 'aia-test-vpc-id', region: 'europe-west1' });
    expect(one('gcp:compute/routerNat:RouterNat').plain).toMatchObject({
      router: router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
  });

  it('reserves the private services range and peers it with Service Networking', async () => {
    const range = one('gcp:compute/globalAddress:GlobalAddress').plain;
    expect(range).toMatchObject({
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      address: '10.30.0.0',
      prefixLength: 16,
      network: 'aia-test-vpc-id',
      labels,
    });
    expect(one('gcp:servicenetworking/connection:Connection').plain).toEqual({
      network: 'aia-test-vpc-id',
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [range.name],
      // Without it `pulumi destroy` fails: Cloud SQL and Memorystore hold the peering for days.
      deletionPolicy: 'ABANDON',
    });
    expect(await resolve(network.privateServicesConnection.id)).toBe(
      'aia-test-private-services-connection-id',
    );
  });

  it('opens only what the cluster needs and logs a deny-all beneath it', () => {
    const rules = ofType(recorded, 'gcp:compute/firewall:Firewall').map(({ plain }) => plain);
    expect(rules.map(({ name }) => name).sort()).toEqual([
      'aia-test-allow-control-plane',
      'aia-test-allow-health-checks',
      'aia-test-allow-internal',
      'aia-test-deny-all-ingress',
    ]);
    for (const rule of rules) expect(rule.network).toBe('aia-test-vpc-id');
    const fromAnywhere = rules.filter(({ sourceRanges }) =>
      (sourceRanges as string[]).includes('0.0.0.0/0'),
    );
    expect(fromAnywhere.map(({ name }) => name)).toEqual(['aia-test-deny-all-ingress']);
    expect(fromAnywhere[0]?.allows).toBeUndefined();
    expect(rules.find(({ name }) => name === 'aia-test-allow-control-plane')).toMatchObject({
      sourceRanges: ['172.16.0.0/28'],
      targetTags: [network.nodeTag],
      allows: [{ protocol: 'tcp', ports: ['443', '8443', '9443', '10250'] }],
    });
    expect(rules.find(({ name }) => name === 'aia-test-deny-all-ingress')).toMatchObject({
      priority: 65534,
      denies: [{ protocol: 'all' }],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });
  });

  it('resolves every googleapis.com name to private.googleapis.com inside the VPC', () => {
    const zone = one('gcp:dns/managedZone:ManagedZone');
    expect(zone.plain).toMatchObject({
      name: 'aia-test-googleapis',
      dnsName: 'googleapis.com.',
      visibility: 'private',
    });
    const records = recorded
      .filter(({ type }) => type === 'gcp:dns/recordSet:RecordSet')
      .map(({ plain }) => [plain.name, plain.type, plain.rrdatas])
      .sort((a, b) => String(b[0]).localeCompare(String(a[0])));
    expect(records).toEqual([
      [
        'private.googleapis.com.',
        'A',
        ['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11'],
      ],
      ['*.googleapis.com.', 'CNAME', ['private.googleapis.com.']],
    ]);
  });
});
