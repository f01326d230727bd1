import { describe, expect, it } from 'vitest';
import {
  BUCKET_ROLES,
  bucketSettings,
  objectBucketName,
  objectLifecycleRules,
} from './settings.js';

describe('objectBucketName', () => {
  it('names a bucket after the stack prefix, its purpose and its location', () => {
    expect(objectBucketName('aia-production', 'reports', 'nam4')).toBe(
      'aia-production-reports-nam4',
    );
  });

  it('refuses a name Cloud Storage would refuse, saying why', () => {
    expect(() => objectBucketName('AIA', 'reports', 'us')).toThrow(
      /Bucket name "AIA-reports-us" is invalid: Cloud Storage accepts 3 to 63 lower-case letters/,
    );
  });
});

describe('objectLifecycleRules', () => {
  it('expires live objects after the retention, noncurrent versions a week later, abandoned uploads after a day', () => {
    expect(objectLifecycleRules(90)).toEqual([
      { action: { type: 'Delete' }, condition: { age: 90, withState: 'LIVE' } },
      {
        action: { type: 'Delete' },
        condition: { daysSinceNoncurrentTime: 7, withState: 'ARCHIVED' },
      },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 1 } },
    ]);
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => objectLifecycleRules(0)).toThrow(/whole number of days, 1 or more: got 0/);
  });
});

describe('bucketSettings', () => {
  const base = {
    project: 'p',
    name: 'aia-production-reports-nam4',
    location: 'NAM4',
    retentionDays: 365,
    labels: { environment: 'production' },
    deletionProtection: true,
  };

  it('is IAM-only, never public, versioned and kept on destroy', () => {
    expect(bucketSettings(base)).toMatchObject({
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      forceDestroy: false,
    });
    expect(bucketSettings(base)).not.toHaveProperty('encryption');
  });

  it('encrypts with the customer-managed key when one is given', () => {
    const kmsKeyName = 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/objects';
    expect(bucketSettings({ ...base, kmsKeyName }).encryption).toEqual({
      defaultKmsKeyName: kmsKeyName,
    });
  });
});

describe('BUCKET_ROLES', () => {
  it('maps every access to an object role that cannot change the bucket', () => {
    expect(BUCKET_ROLES).toEqual({
      read: 'roles/storage.objectViewer',
      create: 'roles/storage.objectCreator',
      readWrite: 'roles/storage.objectUser',
    });
  });
});
