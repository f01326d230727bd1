import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  serviceAccountOutputs,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import type { ConfigBackupsArgs } from './config-backups.js';
import { configBackupBucketArgs } from './settings.js';

const BUCKET = 'gcp:storage/bucket:Bucket';
const BUCKET_MEMBER = 'gcp:storage/bucketIAMMember:BucketIAMMember';
const ACCOUNT = 'gcp:serviceaccount/account:Account';

const production: ConfigBackupsArgs = {
  project: 'aia-platform-production',
  prefix: 'aia-production',
  backupLocation: { location: 'NAM4', rpo: 'ASYNC_TURBO' },
  retentionDays: 90,
  labels: { environment: 'production' },
  kmsKeyName: 'projects/p/locations/us/keyRings/r/cryptoKeys/k',
  deletionProtection: true,
};

describe('ConfigBackups: the config-backup bucket and its writer (mocks)', () => {
  let recorded: RecordedResource[];
  const retainedOnDelete: Record<string, boolean | undefined> = {};
  let outputs: { bucket: string; writer: string };
  // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
  const of = (type: string, prefix: string): any[] =>
    ofType(recorded, type)
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => r.plain);

  beforeAll(async () => {
    recorded = await startMockStack('production', serviceAccountOutputs);
    const { ConfigBackups } = await import('./config-backups.js');
    const seeOptions: pulumi.ResourceTransformation = ({ type, name, opts }) => {
      if (type === BUCKET) retainedOnDelete[name] = opts.retainOnDelete;
      return undefined;
    };
    const prod = new ConfigBackups('prod', production, { transformations: [seeOptions] });
    new ConfigBackups(
      'stage',
      {
        ...production,
        project: 'aia-platform-staging',
        prefix: 'aia-staging',
        backupLocation: { location: 'US' },
        kmsKeyName: undefined,
        deletionProtection: false,
      },
      { transformations: [seeOptions] },
    );
    outputs = await new Promise((resolve) =>
      pulumi
        .all([prod.bucket, prod.writer])
        .apply(([bucket, writer]) => resolve({ bucket, writer })),
    );
    await pulumi.runtime.disconnect();
  });

  it('creates the bucket in the backup location, named after it, with a retention policy instead of versions', () => {
    const [bucket] = of(BUCKET, 'prod');
    expect(bucket).toMatchObject({
      name: 'aia-production-config-backups-nam4',
      location: 'NAM4',
      rpo: 'ASYNC_TURBO',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      retentionPolicy: { retentionPeriod: String(90 * 86_400), isLocked: false },
      encryption: { defaultKmsKeyName: production.kmsKeyName },
      forceDestroy: false,
      labels: { environment: 'production', purpose: 'config-backups' },
    });
    // Cloud Storage refuses versioning on a bucket with a retention policy.
    expect(bucket.versioning).toBeUndefined();
    expect(bucket.lifecycleRules).toContainEqual({
      action: { type: 'Delete' },
      condition: { age: 90 },
    });
    expect(of(BUCKET, 'stage')[0]).toMatchObject({
      name: 'aia-staging-config-backups-us',
      location: 'US',
      forceDestroy: true,
    });
  });

  it('keeps the production bucket on delete, not staging’s', () => {
    expect(retainedOnDelete).toEqual({ 'prod-bucket': true, 'stage-bucket': false });
  });

  it('lets its own writer create and read objects, and grants no role that deletes one', () => {
    expect(of(ACCOUNT, 'prod')).toEqual([
      expect.objectContaining({ accountId: 'aia-production-config-backup' }),
    ]);
    const member =
      'serviceAccount:aia-production-config-backup@aia-platform-production.iam.gserviceaccount.com';
    expect(
      of(BUCKET_MEMBER, 'prod')
        .map(({ role, member: who }) => `${role} ${who}`)
        .sort(),
    ).toEqual([`roles/storage.objectCreator ${member}`, `roles/storage.objectViewer ${member}`]);
    expect(outputs).toEqual({
      bucket: 'aia-production-config-backups-nam4',
      writer: 'aia-production-config-backup@aia-platform-production.iam.gserviceaccount.com',
    });
  });

  it('refuses a retention that is not a whole number of days, naming the key', () => {
    expect(() => configBackupBucketArgs({ ...production, retentionDays: 0 })).toThrow(
      'backups.configRetentionDays must be a whole number of days, 1 or more: got 0',
    );
    expect(() => configBackupBucketArgs({ ...production, retentionDays: 1.5 })).toThrow(
      /backups\.configRetentionDays/,
    );
  });
});
