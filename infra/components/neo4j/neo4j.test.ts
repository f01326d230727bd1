import * as pulumi from '@pulumi/pulumi';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPolicies } from '../../../policies/rules/index.js';
import {
  packViolations,
  planned,
  plannedFromRecorded,
} from '../../../test/harness/policy-fixtures.js';
import {
  holdsSecret,
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { secretPlaceholder } from '../../../tools/plan/placeholders.js';
import { runPolicies } from '../../../tools/policy-check/run-policies.js';
import { REGIONAL_PD_CLASS, regionalPdStorageClass } from '../storage-classes/index.js';
import type { Neo4jDatabase, Neo4jDatabaseArgs } from './neo4j.js';

const T = {
  release: 'kubernetes:helm.sh/v3:Release',
  secret: 'kubernetes:core/v1:Secret',
  policy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  cronJob: 'kubernetes:batch/v1:CronJob',
  ksa: 'kubernetes:core/v1:ServiceAccount',
  bucket: 'gcp:storage/bucket:Bucket',
  account: 'gcp:serviceaccount/account:Account',
  bucketMember: 'gcp:storage/bucketIAMMember:BucketIAMMember',
  accountMember: 'gcp:serviceaccount/iAMMember:IAMMember',
} as const;

const labels = { owner: 'platform', environment: 'production', service: 'platform' };

function providerOutputs({ type, name, plain }: RecordedResource): Record<string, unknown> {
  switch (type) {
    case 'random:index/randomPassword:RandomPassword':
      return { result: secretPlaceholder(name) };
    case T.account: {
      const email = `${plain.accountId}@${plain.project}.iam.gserviceaccount.com`;
      return {
        email,
        member: `serviceAccount:${email}`,
        name: `projects/${plain.project}/serviceAccounts/${email}`,
      };
    }
    default:
      return {};
  }
}

describe('Neo4jDatabase (mocks)', () => {
  let recorded: RecordedResource[];
  let production: Neo4jDatabase;
  const retainedOnDelete: Record<string, boolean | undefined> = {};
  // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
  const one = (type: string, prefix = 'prod'): any =>
    ofType(recorded, type).find((r) => r.name.startsWith(prefix))?.plain;

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { Neo4jDatabase } = await import('./neo4j.js');
    const base: Neo4jDatabaseArgs = {
      project: 'aia-platform-production',
      backupLocation: { location: 'NAM4', rpo: 'ASYNC_TURBO' },
      namespace: 'data',
      stack: 'production',
      storageGb: 200,
      cpu: '2',
      memory: '8Gi',
      backupSchedule: '0 3 * * *',
      backupRetentionDays: 30,
      labels,
      workloadIdentityPool: 'aia-platform-production.svc.id.goog',
    };
    // Resource options never reach the mocks: a transformation of the component sees its children's.
    const seeOptions: pulumi.ResourceTransformation = ({ type, name, opts }) => {
      if (type === T.bucket) retainedOnDelete[name] = opts.retainOnDelete;
      return undefined;
    };
    production = new Neo4jDatabase(
      'prod-neo4j',
      { ...base, storageClass: REGIONAL_PD_CLASS },
      { transformations: [seeOptions] },
    );
    new Neo4jDatabase(
      'stage-neo4j',
      {
        ...base,
        project: 'aia-platform-staging',
        backupLocation: { location: 'US' },
        stack: 'staging',
        storageGb: 20,
        cpu: '500m',
        memory: '2Gi',
        backupRetentionDays: 7,
        clientNamespace: 'aia-staging',
        deletionProtection: false,
      },
      { transformations: [seeOptions] },
    );
    await pulumi.runtime.disconnect();
  });

  it('installs the pinned official chart as release "neo4j" once its password Secret exists', () => {
    const release = one(T.release);
    expect(release).toMatchObject({
      name: 'neo4j',
      chart: 'neo4j',
      version: '5.26.21',
      repositoryOpts: { repo: 'https://helm.neo4j.com/neo4j' },
      namespace: 'data',
      skipAwait: false,
      atomic: true,
    });
    expect(release.values.neo4j).toMatchObject({
      edition: 'community',
      passwordFromSecret: 'neo4j-auth',
      resources: { cpu: '2', memory: '8Gi' },
    });
    expect(release.values.volumes.data.dynamic).toMatchObject({
      storageClassName: REGIONAL_PD_CLASS,
      requests: { storage: '200Gi' },
    });
    expect(one(T.release, 'stage').values.volumes.data.dynamic).toMatchObject({
      storageClassName: 'premium-rwo',
      requests: { storage: '20Gi' },
    });
  });

  it('keeps the generated password secret, in the NEO4J_AUTH form the chart expects', async () => {
    const secret = ofType(recorded, T.secret).find((r) => r.name.startsWith('prod'));
    const password = secretPlaceholder('prod-neo4j-password');
    expect(holdsSecret(secret?.inputs.stringData)).toBe(true);
    expect(secret?.plain.stringData).toEqual({
      NEO4J_AUTH: `neo4j/${password}`,
      NEO4J_PASSWORD: password,
    });
    expect(await pulumi.isSecret(production.password)).toBe(true);
    expect(await resolve(production.password)).toBe(password);
  });

  it('lets Bolt in from the client namespace and the backup job only', () => {
    const policy = one(T.policy);
    expect(() => new NetworkPolicy(policy).validate()).not.toThrow();
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 7687 }]);
    expect(JSON.stringify(policy.spec)).not.toContain('7474');
    expect(one(T.policy, 'stage').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'aia-staging',
    });
  });

  it('backs up to a private, versioned bucket outside the region alone that expires backups after the retention', () => {
    expect(one(T.bucket)).toMatchObject({
      name: 'aia-production-neo4j-backups-nam4',
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      labels,
    });
    expect(one(T.bucket).lifecycleRules[0].condition.age).toBe(30);
    expect(one(T.bucket, 'stage')).toMatchObject({
      name: 'aia-staging-neo4j-backups-us',
      location: 'US',
    });
    expect(one(T.bucket, 'stage').rpo).toBeUndefined();
    expect(one(T.bucket, 'stage').lifecycleRules[0].condition.age).toBe(7);
  });

  it('keeps the production backup bucket on destroy, and lets staging be destroyed with it', () => {
    expect(one(T.bucket).forceDestroy).toBe(false);
    expect(one(T.bucket, 'stage').forceDestroy).toBe(true);
  });

  it('leaves the production bucket, with its dumps, in the project when a new location replaces it', () => {
    expect(retainedOnDelete).toEqual({ 'prod-neo4j-backups': true, 'stage-neo4j-backups': false });
  });

  it('lets the backup account create and read dumps in that bucket only, never delete one', () => {
    const email = 'aia-production-neo4j-backup@aia-platform-production.iam.gserviceaccount.com';
    const grants = ofType(recorded, T.bucketMember)
      .filter((r) => r.name.startsWith('prod'))
      .map((r) => r.plain);
    expect(grants).toEqual(
      ['roles/storage.objectCreator', 'roles/storage.objectViewer'].map((role) => ({
        bucket: 'aia-production-neo4j-backups-nam4',
        role,
        member: `serviceAccount:${email}`,
      })),
    );
    expect(one(T.accountMember)).toEqual({
      serviceAccountId: `projects/aia-platform-production/serviceAccounts/${email}`,
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:aia-platform-production.svc.id.goog[data/neo4j-backup]',
    });
    expect(one(T.ksa).metadata).toMatchObject({
      name: 'neo4j-backup',
      namespace: 'data',
      annotations: { 'iam.gke.io/gcp-service-account': email },
    });
  });

  it('runs a valid, hardened backup CronJob on the schedule as that service account', () => {
    const job = one(T.cronJob);
    expect(() => new CronJob(job).validate()).not.toThrow();
    expect(job.spec.schedule).toBe('0 3 * * *');
    const pod = job.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('neo4j-backup');
    const upload = pod.containers[0];
    expect(upload.env).toContainEqual({
      name: 'BACKUP_BUCKET',
      value: 'aia-production-neo4j-backups-nam4',
    });
    expect(pod.initContainers[0].env).toContainEqual({
      name: 'NEO4J_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'neo4j-auth', key: 'NEO4J_PASSWORD' } },
    });
  });

  it('outputs the in-cluster Bolt URI, the user, the Secret and the bucket', async () => {
    expect(await resolve(production.boltUri)).toBe('neo4j://neo4j.data.svc.cluster.local:7687');
    expect(await resolve(production.user)).toBe('neo4j');
    expect(await resolve(production.passwordSecretName)).toBe('neo4j-auth');
    expect(await resolve(production.backupBucket)).toBe('aia-production-neo4j-backups-nam4');
    expect(await pulumi.isSecret(production.boltUri)).toBe(false);
  });

  it('passes every policy of the pack', async () => {
    // The stack declares the regional class production's volume names.
    const regional = planned(
      'kubernetes:storage.k8s.io/v1:StorageClass',
      'regional-pd',
      regionalPdStorageClass(['us-central1-a', 'us-central1-b']),
    );
    const resources = [...plannedFromRecorded(recorded), regional];
    const violations = await packViolations(resources);
    // Only staging's bucket, force-destroyed on purpose, and its zonal volume (both advisory in
    // the staging pack config).
    expect(violations.map(({ policy, urn }) => [policy, urn.split('::').pop()])).toEqual([
      ['gcp-storage-backup-retained', 'stage-neo4j-backups'],
      ['k8s-regional-disks', 'stage-neo4j-release'],
    ]);

    // The pack does see the job: the same CronJob with its upload container unhardened fails.
    const job = resources.find((r) => r.type === T.cronJob && r.name.startsWith('prod'));
    const weakened = structuredClone(job) as NonNullable<typeof job>;
    // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
    const upload = (weakened.inputs as any).spec.jobTemplate.spec.template.spec.containers[0];
    upload.securityContext = undefined;
    upload.image = 'google/cloud-sdk:latest';
    const flagged = await runPolicies({ resources: [weakened], policies: allPolicies });
    expect(flagged.map((v) => v.policy).sort()).toEqual([
      'k8s-drop-all-capabilities',
      'k8s-no-privilege-escalation',
      'k8s-pinned-image',
      'k8s-read-only-root-filesystem',
    ]);
  });

  it('refuses resources below what the chart accepts before registering anything', async () => {
    const { Neo4jDatabase } = await import('./neo4j.js');
    const before = recorded.length;
    expect(
      () =>
        new Neo4jDatabase('tiny', {
          project: 'p-123456',
          backupLocation: { location: 'US' },
          namespace: 'data',
          stack: 'staging',
          storageGb: 10,
          cpu: '100m',
          memory: '2Gi',
          backupSchedule: '0 3 * * *',
          backupRetentionDays: 7,
          labels,
          workloadIdentityPool: 'p-123456.svc.id.goog',
        }),
    ).toThrow(/below the chart's minimum of 500m/);
    expect(recorded.length).toBe(before);
  });
});
