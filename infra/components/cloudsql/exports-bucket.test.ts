import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  serviceAccountOutputs,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import type { CloudSqlExportsArgs } from './exports.js';

const BUCKET = 'gcp:storage/bucket:Bucket';
const BUCKET_MEMBER = 'gcp:storage/bucketIAMMember:BucketIAMMember';
const JOB = 'gcp:cloudscheduler/job:Job';

describe('CloudSqlExports: the export bucket outside the region (mocks)', () => {
  let recorded: RecordedResource[];
  const retainedOnDelete: Record<string, boolean | undefined> = {};
  // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
  const of = (type: string, prefix: string): any[] =>
    ofType(recorded, type)
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => r.plain);

  beforeAll(async () => {
    recorded = await startMockStack('production', serviceAccountOutputs);
    const { CloudSqlExports } = await import('./exports.js');
    // Resource options never reach the mocks: a transformation of the component sees its children's.
    const seeOptions: pulumi.ResourceTransformation = ({ type, name, opts }) => {
      if (type === BUCKET) retainedOnDelete[name] = opts.retainOnDelete;
      return undefined;
    };
    const base: CloudSqlExportsArgs = {
      project: 'aia-platform-production',
      region: 'us-central1',
      backupLocation: { location: 'NAM4', rpo: 'ASYNC_TURBO' },
      prefix: 'aia-production',
      instanceName: 'aia-production-postgres',
      instanceServiceAccounts: { primary: 'p123-abc@gcp-sa-cloud-sql.iam.gserviceaccount.com' },
      databases: ['economic_governor'],
      startHour: 1,
      retentionDays: 30,
      labels: { environment: 'production' },
      deletionProtection: true,
    };
    new CloudSqlExports('prod', base, { transformations: [seeOptions] });
    new CloudSqlExports(
      'stage',
      {
        ...base,
        project: 'aia-platform-staging',
        prefix: 'aia-staging',
        backupLocation: { location: 'US' },
        deletionProtection: false,
      },
      { transformations: [seeOptions] },
    );
    await pulumi.runtime.disconnect();
  });

  it('creates the bucket in the backup location, named after it, with turbo replication on the dual-region', () => {
    expect(of(BUCKET, 'prod')).toEqual([
      expect.objectContaining({
        name: 'aia-production-sql-exports-nam4',
        location: 'NAM4',
        rpo: 'ASYNC_TURBO',
        versioning: { enabled: true },
        uniformBucketLevelAccess: true,
        forceDestroy: false,
        labels: { environment: 'production', purpose: 'sql-exports' },
      }),
    ]);
    const [staging] = of(BUCKET, 'stage');
    expect(staging).toMatchObject({ name: 'aia-staging-sql-exports-us', location: 'US' });
    expect(staging.rpo).toBeUndefined();
  });

  it("lets the instance's service account write there, and points the daily export at it", () => {
    expect(of(BUCKET_MEMBER, 'prod')).toEqual([
      {
        bucket: 'aia-production-sql-exports-nam4',
        role: 'roles/storage.objectUser',
        member: 'serviceAccount:p123-abc@gcp-sa-cloud-sql.iam.gserviceaccount.com',
      },
    ]);
    const [job] = of(JOB, 'prod');
    expect(JSON.parse(Buffer.from(job.httpTarget.body, 'base64').toString())).toMatchObject({
      exportContext: { uri: 'gs://aia-production-sql-exports-nam4/economic_governor.sql.gz' },
    });
    expect(job.region).toBe('us-central1');
  });

  it('leaves the production bucket, with its exports, in the project when a new location replaces it', () => {
    expect(retainedOnDelete).toEqual({ 'prod-bucket': true, 'stage-bucket': false });
  });
});
