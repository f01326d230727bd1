import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';

/** Bucket purposes (label `purpose`) that hold backups: the SQL exports are backups too. */
const BACKUP_PURPOSES = new Set(['backup', 'sql-exports']);

/** A bucket holds backups when its name says so or its `purpose` label is a backup's. */
const holdsBackups = (name: string, labels: Record<string, string> | undefined): boolean =>
  /backup/i.test(name) || BACKUP_PURPOSES.has(labels?.purpose ?? '');

/** A Cloud Storage location that is one region (`us-central1`), not a dual- or multi-region. */
const SINGLE_REGION = /^[a-z]+-[a-z]+\d$/i;

export const bucketUniformAccess: ResourceValidationPolicy = {
  name: 'gcp-storage-uniform-access',
  description: 'Storage buckets grant access through IAM only (uniform bucket-level access).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    if (bucket.uniformBucketLevelAccess !== true) {
      report(
        `Bucket '${bucket.name ?? args.name}' allows per-object ACLs: set uniformBucketLevelAccess to true and grant access with IAM.`,
      );
    }
  }),
};

export const bucketPublicAccessPrevention: ResourceValidationPolicy = {
  name: 'gcp-storage-public-access-prevention',
  description: 'Storage buckets enforce public access prevention.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    const prevention = bucket.publicAccessPrevention ?? 'inherited';
    if (prevention !== 'enforced') {
      report(
        `Bucket '${bucket.name ?? args.name}' can be made public (publicAccessPrevention '${prevention}'): set publicAccessPrevention to 'enforced'.`,
      );
    }
  }),
};

/** A retention policy of at least a day: no object can be deleted or replaced younger. */
const retainsObjects = (bucket: { retentionPolicy?: { retentionPeriod?: string } }): boolean =>
  Number(bucket.retentionPolicy?.retentionPeriod ?? 0) >= 86_400;

export const bucketVersioning: ResourceValidationPolicy = {
  name: 'gcp-storage-versioning',
  description:
    'Storage buckets keep object versions, so an overwritten or deleted object (a backup, a report) can be restored, or have a retention policy, so none can be overwritten or deleted (Cloud Storage refuses both on one bucket).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    if (bucket.versioning?.enabled !== true && !retainsObjects(bucket)) {
      report(
        `Bucket '${bucket.name ?? args.name}' keeps no object versions: set versioning.enabled to true (and a lifecycle rule deleting noncurrent versions after some days) so an overwritten or deleted object can be restored, or a retention policy of a day or more so none can be.`,
      );
    }
  }),
};

export const backupBucketRetained: ResourceValidationPolicy = {
  name: 'gcp-storage-backup-retained',
  description:
    'Buckets that hold backups survive a destroy: no forceDestroy (advisory on staging, which must be destroyable).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    const name = bucket.name ?? args.name;
    if (holdsBackups(name, bucket.labels) && bucket.forceDestroy === true) {
      report(
        `Bucket '${name}' holds backups and sets forceDestroy, so destroying the stack deletes every backup: set forceDestroy to false.`,
      );
    }
  }),
};

export const bucketOutsideRegion: ResourceValidationPolicy = {
  name: 'gcp-storage-outside-region',
  description:
    'Buckets are dual-region or multi-region: losing one region loses neither the backups nor the reports, and a stack moved out of a lost region keeps its buckets, whose names stay taken worldwide (advisory on staging).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, args, report) => {
    const name = bucket.name ?? args.name;
    const location = bucket.location ?? '';
    if (!SINGLE_REGION.test(location)) return;
    const what = holdsBackups(name, bucket.labels)
      ? 'holds backups in one region'
      : 'is in one region';
    report(
      `Bucket '${name}' ${what} (${location}), so losing the region loses its objects, and a stack moved to another region cannot create it again there (bucket names are global): set aia-platform:backups.location to a dual-region or multi-region (NAM4, US), or unset it for the default.`,
    );
  }),
};

export const storagePolicies: ResourceValidationPolicy[] = [
  bucketUniformAccess,
  bucketPublicAccessPrevention,
  bucketVersioning,
  backupBucketRetained,
  bucketOutsideRegion,
];
