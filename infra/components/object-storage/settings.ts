import type * as gcp from '@pulumi/gcp';
import type { BucketAccess, BucketPurpose } from '../../../services/catalog.js';

/** Cloud Storage's XML API: the S3-compatible endpoint the services are given. */
export const GCS_S3_ENDPOINT = 'https://storage.googleapis.com';
/** Cloud Storage ignores the SigV4 region; S3 clients still need one. */
export const GCS_S3_REGION = 'auto';

/**
 * The least role for each access a service may have. None can change the bucket's settings or
 * IAM policy: no `roles/storage.objectAdmin`, `roles/storage.admin` (policy `gcp-storage-least-privilege`).
 */
export const BUCKET_ROLES: Readonly<Record<BucketAccess, string>> = {
  read: 'roles/storage.objectViewer',
  // Creates objects; cannot overwrite or delete one (both need storage.objects.delete).
  create: 'roles/storage.objectCreator',
  readWrite: 'roles/storage.objectUser',
};

/** Days a deleted or replaced object stays restorable as a noncurrent version. */
export const NONCURRENT_DAYS = 7;
/** An S3 multipart upload left unfinished this long is aborted, so its parts stop costing. */
export const ABANDONED_UPLOAD_DAYS = 1;

const BUCKET_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

/**
 * `<prefix>-<purpose>-<location>` (`aia-production-reports-nam4`): the location in the name, as a
 * bucket's location cannot change and bucket names are global; throws, saying why, when Cloud
 * Storage would refuse it.
 */
export function objectBucketName(prefix: string, purpose: BucketPurpose, location: string): string {
  const name = `${prefix}-${purpose}-${location}`;
  if (!BUCKET_NAME.test(name)) {
    throw new Error(
      `Bucket name "${name}" is invalid: Cloud Storage accepts 3 to 63 lower-case letters, digits, "-" and "_", starting and ending with a letter or digit`,
    );
  }
  return name;
}

/**
 * Live objects expire after `retentionDays`; the noncurrent versions a delete or overwrite leaves
 * go `NONCURRENT_DAYS` later; abandoned multipart uploads after a day.
 */
export function objectLifecycleRules(
  retentionDays: number,
): gcp.types.input.storage.BucketLifecycleRule[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`retention must be a whole number of days, 1 or more: got ${retentionDays}`);
  }
  return [
    { action: { type: 'Delete' }, condition: { age: retentionDays, withState: 'LIVE' } },
    {
      action: { type: 'Delete' },
      condition: { daysSinceNoncurrentTime: NONCURRENT_DAYS, withState: 'ARCHIVED' },
    },
    {
      action: { type: 'AbortIncompleteMultipartUpload' },
      condition: { age: ABANDONED_UPLOAD_DAYS },
    },
  ];
}

export interface BucketSettingsArgs {
  readonly project: string;
  readonly name: string;
  /** A dual-region or multi-region (the backups' location), never the stack's region alone. */
  readonly location: string;
  readonly retentionDays: number;
  readonly labels: Record<string, string>;
  /** Cloud KMS key for customer-managed encryption; Google-managed when unset. */
  readonly kmsKeyName?: string;
  /** `false` lets `pulumi destroy` delete a bucket that still holds objects. */
  readonly deletionProtection: boolean;
}

/**
 * A bucket's arguments: IAM-only access (uniform bucket-level access), never public, versioned
 * so a deleted or overwritten object can be restored, the lifecycle above, optional CMEK.
 */
export function bucketSettings(args: BucketSettingsArgs): gcp.storage.BucketArgs {
  return {
    project: args.project,
    name: args.name,
    location: args.location,
    storageClass: 'STANDARD',
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    versioning: { enabled: true },
    lifecycleRules: objectLifecycleRules(args.retentionDays),
    labels: { ...args.labels },
    ...(args.kmsKeyName ? { encryption: { defaultKmsKeyName: args.kmsKeyName } } : {}),
    forceDestroy: !args.deletionProtection,
  };
}
