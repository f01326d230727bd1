import { beforeAll, describe, expect, it } from 'vitest';
import { serviceDefinition, serviceNames } from '../services/catalog.js';
import { planStack, queries } from '../test/harness/plan-queries.js';
import type { Plan } from '../tools/plan/run-plan.js';
import { REGIONAL_PD_CLASS } from './components/storage-classes/index.js';

let plan: Plan;
let q: ReturnType<typeof queries>;
beforeAll(async () => {
  plan = await planStack('production');
  q = queries(plan);
});

const all = (type: string) => q.ofType(type).map(q.inputsOf);
const BUCKET_MEMBER = 'gcp:storage/bucketIAMMember:BucketIAMMember';

describe('object storage in the production plan', () => {
  it('runs no MinIO: no release, image or object of it anywhere in the plan', () => {
    expect(JSON.stringify(plan.resources.map((r) => [r.type, r.name, r.inputs]))).not.toMatch(
      /minio|min\.io/i,
    );
  });

  it('keeps reports in a versioned, IAM-only, never-public bucket named from the stack prefix and its location', () => {
    const reports = all('gcp:storage/bucket:Bucket').find(
      (bucket) => bucket.name === 'aia-production-reports-nam4',
    );
    expect(reports).toMatchObject({
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      forceDestroy: false,
      labels: { purpose: 'reports', environment: 'production' },
    });
    expect(reports?.lifecycleRules[0]).toEqual({
      action: { type: 'Delete' },
      condition: { age: 365, withState: 'LIVE' },
    });
  });

  it('grants roles/storage.objectUser on the reports bucket to venture-discovery alone, and nothing else on it', () => {
    const onReports = all(BUCKET_MEMBER).filter((m) => m.bucket === 'aia-production-reports-nam4');
    expect(onReports).toEqual([
      {
        bucket: 'aia-production-reports-nam4',
        role: 'roles/storage.objectUser',
        member:
          'serviceAccount:venture-discovery-production@aia-platform-production.iam.gserviceaccount.com',
      },
    ]);
    const users = serviceNames
      .map(serviceDefinition)
      .filter((s) => s.dataStores.includes('objectStorage'));
    expect(users.map((s) => s.name)).toEqual(['venture-discovery']);
  });

  it('gives venture-discovery the S3 settings of Cloud Storage and no key: it signs with its Workload Identity token', () => {
    const config = all('kubernetes:core/v1:ConfigMap').find(
      (map) => map.metadata.name === 'venture-discovery-env',
    );
    expect(config?.data).toMatchObject({
      S3_ENDPOINT: 'https://storage.googleapis.com',
      S3_REGION: 'auto',
      S3_BUCKET: 'aia-production-reports-nam4',
      S3_AUTH: 'google-oauth',
      S3_FORCE_PATH_STYLE: 'true',
    });
    const secrets = all('kubernetes:core/v1:Secret').find(
      (secret) => secret.metadata.name === 'venture-discovery-env',
    );
    expect(Object.keys(secrets?.stringData ?? {})).not.toContain('S3_SECRET_ACCESS_KEY');
    expect(q.ofType('gcp:storage/hmacKey:HmacKey')).toEqual([]);
  });

  it('lets the Neo4j backup identity create and read dumps, never delete one', () => {
    const onBackups = all(BUCKET_MEMBER).filter(
      (m) => m.bucket === 'aia-production-neo4j-backups-nam4',
    );
    expect(onBackups.map((m) => m.role).sort()).toEqual([
      'roles/storage.objectCreator',
      'roles/storage.objectViewer',
    ]);
  });
});

describe('backup buckets in the production plan', () => {
  const BACKUP_BUCKETS = ['aia-production-neo4j-backups-nam4', 'aia-production-sql-exports-nam4'];
  const byName = (name: string) =>
    all('gcp:storage/bucket:Bucket').find((bucket) => bucket.name === name);

  it('keeps the Neo4j dumps and the SQL exports in NAM4 (us-central1 and us-east1, the DR region), turbo-replicated, not in us-central1 alone', () => {
    for (const name of BACKUP_BUCKETS) {
      expect(byName(name)).toMatchObject({
        location: 'NAM4',
        rpo: 'ASYNC_TURBO',
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        versioning: { enabled: true },
        forceDestroy: false,
      });
    }
    expect(byName('aia-production-neo4j-backups-nam4')?.lifecycleRules[0].condition).toEqual({
      age: 30,
      withState: 'LIVE',
    });
    expect(byName('aia-production-sql-exports-nam4')?.lifecycleRules[0].condition).toEqual({
      age: 30,
      withState: 'LIVE',
    });
    const regional = all('gcp:storage/bucket:Bucket').filter((bucket) =>
      /^[a-z]+-[a-z]+\d$/i.test(bucket.location),
    );
    expect(regional.map((bucket) => bucket.name)).toEqual([]);
  });

  it('lets the writers write there: the Neo4j backup identity and the Cloud SQL instance', () => {
    const grants = (bucket: string) =>
      all(BUCKET_MEMBER)
        .filter((m) => m.bucket === bucket)
        .map((m) => m.role)
        .sort();
    expect(grants('aia-production-neo4j-backups-nam4')).toEqual([
      'roles/storage.objectCreator',
      'roles/storage.objectViewer',
    ]);
    expect(grants('aia-production-sql-exports-nam4')).toEqual(['roles/storage.objectUser']);
    const job = all('kubernetes:batch/v1:CronJob').find((j) => j.metadata.name === 'neo4j-backup');
    expect(job?.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual({
      name: 'BACKUP_BUCKET',
      value: 'aia-production-neo4j-backups-nam4',
    });
    expect(plan.outputs.data).toMatchObject({
      neo4j: { backupBucket: 'aia-production-neo4j-backups-nam4' },
    });
  });
});

describe('regional persistent disks in the production plan', () => {
  it('declares a balanced regional PD class across the cluster zones', () => {
    const [storageClass] = all('kubernetes:storage.k8s.io/v1:StorageClass');
    expect(storageClass).toMatchObject({
      metadata: { name: REGIONAL_PD_CLASS },
      provisioner: 'pd.csi.storage.gke.io',
      parameters: { type: 'pd-balanced', 'replication-type': 'regional-pd' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [
        {
          matchLabelExpressions: [
            {
              key: 'topology.gke.io/zone',
              values: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
            },
          ],
        },
      ],
    });
  });

  it('puts the single-replica Neo4j and Jaeger volumes on it', () => {
    const neo4j = all('kubernetes:helm.sh/v3:Release').find((r) => r.name === 'neo4j');
    expect(neo4j?.values.volumes.data.dynamic.storageClassName).toBe(REGIONAL_PD_CLASS);
    const claims = all('kubernetes:core/v1:PersistentVolumeClaim');
    expect(claims.map((c) => c.spec.storageClassName)).toEqual([REGIONAL_PD_CLASS]);
  });
});
