import { describe, expect, it } from 'vitest';
import { evacuate } from './lost-resources.js';
import type { StackExport, StateResource } from './state.js';

const urn = (type: string, name: string) => `urn:pulumi:production::aia-platform::${type}::${name}`;
const STACK = urn('pulumi:pulumi:Stack', 'aia-platform-production');
const SQL = 'gcp:sql/databaseInstance:DatabaseInstance';
const SECRET = {
  '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
  ciphertext: 'v1:abc',
};

const custom = (
  type: string,
  name: string,
  fields: Partial<StateResource> = {},
): StateResource => ({
  urn: urn(type, name),
  type,
  custom: true,
  id: `${name}-id`,
  parent: STACK,
  inputs: {},
  outputs: {},
  ...fields,
});

/** The engine's default Google provider: its inputs are the stack's gcp:* configuration. */
const google = custom('pulumi:providers:gcp', 'default_9_0_0', {
  inputs: { project: 'p', region: 'us-central1', version: '9.0.0' },
  outputs: { project: 'p', region: 'us-central1', version: '9.0.0' },
});
const onGoogle = { provider: `${google.urn}::${google.id}` };
const primary = custom(SQL, 'primary', {
  outputs: { name: 'aia-production-postgres', region: 'us-central1' },
});
const replica = custom(SQL, 'dr-replica', {
  outputs: {
    name: 'aia-production-postgres-dr-us-east1',
    region: 'us-east1',
    masterInstanceName: 'aia-production-postgres',
  },
  dependencies: [primary.urn],
  propertyDependencies: { masterInstanceName: [primary.urn] },
});
const cluster = custom('gcp:container/cluster:Cluster', 'cluster', {
  id: 'projects/p/locations/us-central1/clusters/aia-production-cluster',
  outputs: { name: 'aia-production-cluster', location: 'us-central1' },
});
const kubernetes = custom('pulumi:providers:kubernetes', 'cluster-provider', {
  dependencies: [cluster.urn],
});
const providerRef = `${kubernetes.urn}::${kubernetes.id}`;
const namespace = custom('kubernetes:core/v1:Namespace', 'services', { provider: providerRef });
const ring = custom('gcp:kms/keyRing:KeyRing', 'gke-ring', {
  id: 'projects/p/locations/us-central1/keyRings/aia-production-gke',
  outputs: { name: 'aia-production-gke', location: 'us-central1' },
});
const key = custom('gcp:kms/cryptoKey:CryptoKey', 'gke-key', {
  id: `${ring.id}/cryptoKeys/gke-secrets`,
  inputs: { keyRing: ring.id, name: 'gke-secrets' },
  outputs: { keyRing: ring.id, name: 'gke-secrets' },
});
const keyMember = custom('gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember', 'gke-agent', {
  outputs: { cryptoKeyId: key.id, member: 'serviceAccount:x' },
});
const user = custom('gcp:sql/user:User', 'ledger-user', {
  outputs: { instance: 'aia-production-postgres', name: 'economic_governor', password: SECRET },
});
const exportsBucket = custom('gcp:storage/bucket:Bucket', 'sql-exports', {
  ...onGoogle,
  outputs: { name: 'aia-production-sql-exports-nam4', location: 'NAM4' },
});
const exportsWriter = custom('gcp:storage/bucketIAMMember:BucketIAMMember', 'exports-writer', {
  outputs: { bucket: 'aia-production-sql-exports-nam4', role: 'roles/storage.objectUser' },
  dependencies: [exportsBucket.urn, primary.urn],
  propertyDependencies: { bucket: [exportsBucket.urn], member: [primary.urn] },
});
const regionalBucket = custom('gcp:storage/bucket:Bucket', 'scratch', {
  outputs: { name: 'aia-production-scratch', location: 'US-CENTRAL1' },
});
const regionalBucketReader = custom(
  'gcp:storage/bucketIAMMember:BucketIAMMember',
  'scratch-reader',
  {
    outputs: { bucket: 'aia-production-scratch', role: 'roles/storage.objectViewer' },
  },
);
const account = custom('gcp:serviceaccount/account:Account', 'ledger-account', {
  ...onGoogle,
  outputs: { accountId: 'economic-governor-production', privateKey: SECRET },
});
const workloadIdentity = custom('gcp:serviceaccount/iAMMember:IAMMember', 'ledger-wi', {
  dependencies: [account.urn, cluster.urn],
  deletedWith: cluster.urn,
});
const lagAlert = custom('gcp:monitoring/alertPolicy:AlertPolicy', 'dr-lag', {
  dependencies: [replica.urn],
  propertyDependencies: { conditions: [replica.urn] },
});

const stateOf = (resources: StateResource[], pending: unknown[] = []): StackExport => ({
  version: 3,
  deployment: {
    manifest: { time: '2026-12-04T00:00:00Z' },
    secrets_providers: {
      type: 'cloud',
      state: { url: 'gcpkms://projects/p/locations/us/keyRings/r/cryptoKeys/k' },
    },
    resources,
    pending_operations: pending,
  },
});

const ALL = [
  { urn: STACK, type: 'pulumi:pulumi:Stack', custom: false },
  google,
  primary,
  replica,
  cluster,
  kubernetes,
  namespace,
  ring,
  key,
  keyMember,
  user,
  exportsBucket,
  exportsWriter,
  regionalBucket,
  regionalBucketReader,
  account,
  workloadIdentity,
  lagAlert,
];
const OPTIONS = { lostRegion: 'us-central1', adoptInstance: 'aia-production-postgres-dr-us-east1' };

describe('evacuate: the state without what a lost region took', () => {
  const evacuation = evacuate(stateOf(ALL), OPTIONS);
  const removed = new Map(evacuation.removed.map(({ urn, reason }) => [urn, reason]));
  const kept = evacuation.state.deployment.resources ?? [];

  it('removes what was located in the region, what lived inside it, and the cluster objects', () => {
    expect(removed.get(primary.urn)).toEqual({ kind: 'located', location: 'us-central1' });
    expect(removed.get(cluster.urn)).toEqual({ kind: 'located', location: 'us-central1' });
    expect(removed.get(regionalBucket.urn)).toEqual({ kind: 'located', location: 'us-central1' });
    // By name (a user's instance), by ID (a key's ring), transitively (the key's member).
    expect(removed.get(user.urn)).toEqual({ kind: 'inside', container: primary.urn });
    expect(removed.get(key.urn)).toEqual({ kind: 'inside', container: ring.urn });
    expect(removed.get(keyMember.urn)).toEqual({ kind: 'inside', container: key.urn });
    expect(removed.get(regionalBucketReader.urn)).toEqual({
      kind: 'inside',
      container: regionalBucket.urn,
    });
    expect(removed.get(namespace.urn)).toEqual({ kind: 'kubernetes' });
    expect(removed.get(kubernetes.urn)).toEqual({ kind: 'kubernetes' });
    expect(removed.get(replica.urn)).toEqual({ kind: 'adopted' });
  });

  it('keeps global and multi-region resources, with their secrets as they were', () => {
    expect(kept.map((resource) => resource.urn)).toEqual([
      STACK,
      // Not lost for the region of its configuration: every Google resource is on it.
      google.urn,
      exportsBucket.urn,
      exportsWriter.urn,
      account.urn,
      workloadIdentity.urn,
      lagAlert.urn,
    ]);
    const keptAccount = kept.find((resource) => resource.urn === account.urn);
    expect(keptAccount?.outputs?.privateKey).toEqual(SECRET);
    // A member of a kept bucket stays, though it depends on the lost primary through `member`.
    expect(removed.has(exportsWriter.urn)).toBe(false);
    expect(evacuation.state.deployment.secrets_providers).toEqual(
      stateOf([]).deployment.secrets_providers,
    );
  });

  it('drops the kept resources’ edges to removed ones, and nothing else', () => {
    const writer = kept.find((resource) => resource.urn === exportsWriter.urn);
    expect(writer?.dependencies).toEqual([exportsBucket.urn]);
    expect(writer?.propertyDependencies).toEqual({ bucket: [exportsBucket.urn] });
    const identity = kept.find((resource) => resource.urn === workloadIdentity.urn);
    expect(identity?.dependencies).toEqual([account.urn]);
    expect(identity).not.toHaveProperty('deletedWith');
    const alert = kept.find((resource) => resource.urn === lagAlert.urn);
    expect(alert?.propertyDependencies).toEqual({});
    const surviving = new Set(kept.map((resource) => resource.urn));
    for (const resource of kept) {
      for (const to of [
        ...(resource.dependencies ?? []),
        ...Object.values(resource.propertyDependencies ?? {}).flat(),
        ...(resource.parent ? [resource.parent] : []),
      ]) {
        expect(surviving.has(to), `${resource.urn} → ${to}`).toBe(true);
      }
    }
    expect(evacuation.droppedEdges).toContainEqual({ urn: exportsWriter.urn, to: primary.urn });
    expect(evacuation.droppedEdges).toContainEqual({ urn: workloadIdentity.urn, to: cluster.urn });
  });

  it('does not take a replica whose primary was lost when it is outside the region', () => {
    const notAdopting = evacuate(stateOf([primary, replica, cluster, account]), {
      ...OPTIONS,
      adoptInstance: 'aia-production-postgres-dr-us-east1',
    });
    // The replica leaves only as the adopted instance, never as "inside" the lost primary.
    expect(notAdopting.removed.find(({ urn }) => urn === replica.urn)?.reason).toEqual({
      kind: 'adopted',
    });
  });
});

describe('evacuate reports pending operations', () => {
  it('keeps them for pulumi stack import, which drops them, and names each to check by hand', () => {
    const operation = { type: 'creating', resource: { urn: account.urn, type: account.type } };
    const evacuation = evacuate(stateOf(ALL, [operation]), OPTIONS);
    expect(evacuation.pendingOperations).toEqual([
      { kind: 'creating', urn: account.urn, type: account.type },
    ]);
    expect(evacuation.state.deployment.pending_operations).toEqual([operation]);
  });
});

describe('evacuate refuses, changing nothing', () => {
  it('an instance to adopt that the state does not hold, or that is in the lost region', () => {
    expect(() => evacuate(stateOf(ALL), { ...OPTIONS, adoptInstance: 'nope' })).toThrow(
      /--adopt-instance: the state holds no Cloud SQL instance named nope/,
    );
    expect(() =>
      evacuate(stateOf(ALL), { ...OPTIONS, adoptInstance: 'aia-production-postgres' }),
    ).toThrow(/--adopt-instance: aia-production-postgres is in us-central1, the lost region/);
  });

  it('a region nothing is located in', () => {
    expect(() => evacuate(stateOf(ALL), { ...OPTIONS, lostRegion: 'europe-west1' })).toThrow(
      /--lost-region: nothing in the state is located in europe-west1/,
    );
  });

  it('and never edits the state it was given', () => {
    const state = stateOf(structuredClone(ALL));
    const before = JSON.stringify(state);
    evacuate(state, OPTIONS);
    expect(JSON.stringify(state)).toBe(before);
  });
});
