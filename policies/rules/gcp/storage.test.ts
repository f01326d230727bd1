import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { gcpPolicies } from './index.js';
import {
  backupBucketRetained,
  bucketOutsideRegion,
  bucketPublicAccessPrevention,
  bucketUniformAccess,
  bucketVersioning,
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

  it('flag a bucket without object versioning, whatever it holds', async () => {
    for (const purpose of ['backup', 'reports']) {
      const bucket = withInput(
        withInput(backupBucket(), 'labels.purpose', purpose),
        'versioning',
        undefined,
      );
      expect(await violationsOf([bucketVersioning], [bucket])).toEqual([
        violation(
          bucketVersioning,
          bucket,
          "Bucket 'aia-production-db-exports' keeps no object versions: set versioning.enabled to true (and a lifecycle rule deleting noncurrent versions after some days) so an overwritten or deleted object can be restored, or a retention policy of a day or more so none can be.",
        ),
      ]);
    }
  });

  it('accept a bucket whose retention policy forbids deleting or overwriting instead of versions, not one of less than a day', async () => {
    const unversioned = withInput(backupBucket(), 'versioning', undefined);
    const retained = withInput(unversioned, 'retentionPolicy', { retentionPeriod: '7776000' });
    expect(await violationsOf([bucketVersioning], [retained])).toEqual([]);
    const brief = withInput(unversioned, 'retentionPolicy', { retentionPeriod: '3600' });
    expect(await violationsOf([bucketVersioning], [brief])).toHaveLength(1);
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

  it('flag a backup bucket, or SQL export bucket, kept in one region only', async () => {
    const regional = withInput(backupBucket(), 'location', 'US-CENTRAL1');
    expect(await violationsOf([bucketOutsideRegion], [regional])).toEqual([
      violation(
        bucketOutsideRegion,
        regional,
        "Bucket 'aia-production-db-exports' holds backups in one region (US-CENTRAL1), so losing the region loses its objects, and a stack moved to another region cannot create it again there (bucket names are global): set aia-platform:backups.location to a dual-region or multi-region (NAM4, US), or unset it for the default.",
      ),
    ]);
    const exports = withInput(
      withInput(regional, 'labels.purpose', 'sql-exports'),
      'name',
      'aia-production-sql-exports',
    );
    expect(await violationsOf([bucketOutsideRegion], [exports])).toHaveLength(1);
  });

  it('pass backups in a dual-region or multi-region, but flag a regional bucket of reports', async () => {
    for (const location of ['NAM4', 'US', 'EU']) {
      const bucket = withInput(backupBucket(), 'location', location);
      expect(await violationsOf([bucketOutsideRegion], [bucket])).toEqual([]);
    }
    const reports = withInput(
      withInput(withInput(backupBucket(), 'location', 'us-central1'), 'labels.purpose', 'reports'),
      'name',
      'aia-production-reports',
    );
    expect(await violationsOf([bucketOutsideRegion], [reports])).toEqual([
      violation(
        bucketOutsideRegion,
        reports,
        "Bucket 'aia-production-reports' is in one region (us-central1), so losing the region loses its objects, and a stack moved to another region cannot create it again there (bucket names are global): set aia-platform:backups.location to a dual-region or multi-region (NAM4, US), or unset it for the default.",
      ),
    ]);
  });
});
