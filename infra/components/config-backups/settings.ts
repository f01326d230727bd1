import type * as gcp from '@pulumi/gcp';
import {
  type BackupLocation,
  backupBucketLocation,
  backupLocationSuffix,
} from '../object-storage/backup-location.js';
import { ABANDONED_UPLOAD_DAYS, BUCKET_ROLES } from '../object-storage/settings.js';

const SECONDS_PER_DAY = 86_400;

/**
 * What the config-backup writer may do on its bucket: create objects, and read them, since
 * `gcloud storage cp --no-clobber` may look the destination up before it uploads. Neither role can
 * delete or overwrite an object (both need storage.objects.delete), and the retention policy
 * refuses that to everyone else until the object is old enough.
 */
export const CONFIG_BACKUP_ROLES = [BUCKET_ROLES.create, BUCKET_ROLES.read] as const;

export interface ConfigBackupBucketArgs {
  readonly project: string;
  /** `aia-<stack>`: the bucket is `<prefix>-config-backups-<location>`. */
  readonly prefix: string;
  readonly backupLocation: BackupLocation;
  /** `backups.configRetentionDays`: no object is deleted or replaced younger; deleted at this age. */
  readonly retentionDays: number;
  readonly labels: Record<string, string>;
  /** CMEK in the buckets' location (`backups.kmsKeyName`); Google-managed when unset. */
  readonly kmsKeyName?: string;
  /** `false` lets `pulumi destroy` delete the bucket with its backups (when their retention allows). */
  readonly deletionProtection: boolean;
}

/**
 * The config-backup bucket's arguments: in the backup location like the other backup buckets,
 * IAM-only and never public, and a retention policy instead of versioning (Cloud Storage refuses
 * both on one bucket): an object can be neither deleted nor overwritten before `retentionDays`,
 * by anyone, and the lifecycle deletes it at that age. The policy is not locked: locking is
 * irreversible, and a project owner may need to shorten it.
 */
export function configBackupBucketArgs(args: ConfigBackupBucketArgs): gcp.storage.BucketArgs {
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
    throw new Error(
      `backups.configRetentionDays must be a whole number of days, 1 or more: got ${args.retentionDays}`,
    );
  }
  return {
    project: args.project,
    name: `${args.prefix}-config-backups-${backupLocationSuffix(args.backupLocation)}`,
    ...backupBucketLocation(args.backupLocation),
    storageClass: 'STANDARD',
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    retentionPolicy: {
      retentionPeriod: String(args.retentionDays * SECONDS_PER_DAY),
      isLocked: false,
    },
    lifecycleRules: [
      { action: { type: 'Delete' }, condition: { age: args.retentionDays } },
      {
        action: { type: 'AbortIncompleteMultipartUpload' },
        condition: { age: ABANDONED_UPLOAD_DAYS },
      },
    ],
    labels: { ...args.labels, purpose: 'config-backups' },
    ...(args.kmsKeyName ? { encryption: { defaultKmsKeyName: args.kmsKeyName } } : {}),
    forceDestroy: !args.deletionProtection,
  };
}
