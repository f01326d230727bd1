import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { gcpPolicies } from './index.js';
import {
  backupBucketRetained,
  backupBucketVersioning,
  bucketPublicAccessPrevention,
  bucketUniformAccess,
} from './storage.js';
import { backupBucket } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('Cloud Storage policies', () => {
  it('pass a backup bucket with versioning under every GCP policy', async () => {
    expect(await violationsOf(gcpPolicies, [backupBucket()])).toEqual([]);
  });

  it('flag a bucket that allows per-object ACLs', async () => {
    const bucket = withInput(backupBucket(), 'uniformBucketLevelAccess', undefined);
    expect(await violationsOf([bucketUniformAccess], [bucket])).toEqual([
      violation(
        bucketUniformAccess,
        bucket,
        "Bucket 'aia-production-db-exports' allows per-object ACLs: set uniformBucketLevelAccess to true and grant access with IAM.",
      ),
    ]);
  });

  it('flag a bucket whose public access prevention is only inherited', async () => {
    const bucket = withInput(backupBucket(), 'publicAccessPrevention', 'inherited');
    expect(await violationsOf([bucketPublicAccessPrevention], [bucket])).toEqual([
      violation(
        bucketPublicAccessPrevention,
        bucket,
        "Bucket 'aia-production-db-exports' can be made public (publicAccessPrevention 'inherited'): set publicAccessPrevention to 'enforced'.",
      ),
    ]);
  });

  it('flag a bucket labelled purpose: backup without versioning', async () => {
    const bucket = withInput(backupBucket(), 'versioning', undefined);
    expect(await violationsOf([backupBucketVersioning], [bucket])).toEqual([
      violation(
        backupBucketVersioning,
        bucket,
        "Bucket 'aia-production-db-exports' holds backups without object versioning: set versioning.enabled to true so an overwritten or deleted backup can be restored.",
      ),
    ]);
  });

  it('recognise a backup bucket by its name alone', async () => {
    const named = withInput(
      withInput(withInput(backupBucket(), 'labels.purpose', undefined), 'versioning', undefined),
      'name',
      'aia-production-Backups',
    );
    const [found] = await violationsOf([backupBucketVersioning], [named]);
    expect(found?.message).toContain("Bucket 'aia-production-Backups' holds backups");
  });

  it('leave versioning optional on buckets that hold no backups', async () => {
    const assets = withInput(
      withInput(backupBucket(), 'labels.purpose', 'assets'),
      'versioning',
      undefined,
    );
    expect(await violationsOf([backupBucketVersioning], [assets])).toEqual([]);
  });

  it('flag a backup bucket that a destroy would empty', async () => {
    const forced = withInput(backupBucket(), 'forceDestroy', true);
    expect(await violationsOf([backupBucketRetained], [forced])).toEqual([
      violation(
        backupBucketRetained,
        forced,
        "Bucket 'aia-production-db-exports' holds backups and sets forceDestroy, so destroying the stack deletes every backup: set forceDestroy to false.",
      ),
    ]);
  });
});
