import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import {
  CONFIG_BACKUP_ROLES,
  type ConfigBackupBucketArgs,
  configBackupBucketArgs,
} from './settings.js';

export type ConfigBackupsArgs = ConfigBackupBucketArgs;

/**
 * The bucket the daily configuration backup writes to (`.github/workflows/config-backup.yml`,
 * `npm run config:backup`): the stack's config file as deployed and its exported state, secrets
 * as ciphertext only, kept in the backup location so they outlive the region with the state
 * bucket. Its writer is a service account of its own, which the workflow acts as through Workload
 * Identity Federation: it may add backups, never delete or replace one.
 */
export class ConfigBackups extends pulumi.ComponentResource {
  readonly bucket: pulumi.Output<string>;
  /** The writer's email (`aia-<stack>-config-backup@<project>.iam.gserviceaccount.com`). */
  readonly writer: pulumi.Output<string>;

  constructor(name: string, args: ConfigBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ConfigBackups', name, {}, opts);
    const child = { parent: this };
    const bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      configBackupBucketArgs(args),
      // A new location is a new bucket (Pulumi replaces it): the old one, with its backups, stays
      // in the project, outside the stack, until they are copied over and it is deleted by hand.
      { ...child, retainOnDelete: args.deletionProtection },
    );
    const account = new gcp.serviceaccount.Account(
      `${name}-writer`,
      {
        project: args.project,
        accountId: `${args.prefix}-config-backup`,
        displayName: 'Config backups: writes the stack config and state backups',
      },
      child,
    );
    for (const role of CONFIG_BACKUP_ROLES) {
      new gcp.storage.BucketIAMMember(
        `${name}-${role.slice('roles/storage.'.length).toLowerCase()}`,
        { bucket: bucket.name, role, member: account.member },
        child,
      );
    }
    this.bucket = bucket.name;
    this.writer = account.email;
    this.registerOutputs({ bucket: this.bucket, writer: this.writer });
  }
}
