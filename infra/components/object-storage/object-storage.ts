import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { BucketPurpose } from '../../../services/catalog.js';
import {
  type BackupLocation,
  backupBucketLocation,
  backupLocationSuffix,
} from './backup-location.js';
import { bucketSettings, GCS_S3_ENDPOINT, objectBucketName } from './settings.js';

export interface ObjectStorageArgs {
  readonly project: string;
  /**
   * Where every bucket keeps its objects: the backups' location (NAM4 in production), not the
   * stack's region, so the reports outlive a region and a stack moved to another region keeps
   * the same buckets (docs/object-storage.md).
   */
  readonly location: BackupLocation;
  /** Prefix of the bucket names: `<prefix>-<purpose>-<location>`. */
  readonly prefix: string;
  /** Purpose → days its objects are kept. */
  readonly buckets: Readonly<Record<BucketPurpose, { readonly retentionDays: number }>>;
  /** Google Cloud labels (owner, environment, service) of every bucket. */
  readonly labels: Record<string, string>;
  /** Cloud KMS key of every bucket (CMEK), in its location; Google-managed encryption when unset. */
  readonly kmsKeyName?: string;
  /** Keep buckets that still hold objects when the stack is destroyed. Default true. */
  readonly deletionProtection?: boolean;
}

/**
 * The platform's object storage on Cloud Storage, one bucket per purpose, reached by the
 * services over the S3 API (the XML API). The buckets grant nothing: each service's Google
 * service account gets a role on its own bucket where the service is deployed.
 */
export class ObjectStorage extends pulumi.ComponentResource {
  /** Purpose → bucket name. */
  readonly buckets: Readonly<Record<BucketPurpose, pulumi.Output<string>>>;
  readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: ObjectStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Names and lifecycles are validated before anything registers.
    const suffix = backupLocationSuffix(args.location);
    const settings = Object.entries(args.buckets).map(([purpose, { retentionDays }]) => ({
      purpose: purpose as BucketPurpose,
      args: {
        ...bucketSettings({
          project: args.project,
          name: objectBucketName(args.prefix, purpose as BucketPurpose, suffix),
          location: args.location.location,
          retentionDays,
          labels: { ...args.labels, purpose },
          kmsKeyName: args.kmsKeyName,
          deletionProtection: args.deletionProtection ?? true,
        }),
        ...backupBucketLocation(args.location),
      },
    }));
    super('aia:platform:ObjectStorage', name, {}, opts);
    const buckets = Object.fromEntries(
      settings.map(({ purpose, args: bucket }) => [
        purpose,
        // A new location is a new bucket (Pulumi replaces it): the old one, with its objects, stays
        // in the project, outside the stack, until they are copied over and it is deleted by hand.
        new gcp.storage.Bucket(`${name}-${purpose}`, bucket, {
          parent: this,
          retainOnDelete: args.deletionProtection ?? true,
        }).name,
      ]),
    ) as Record<BucketPurpose, pulumi.Output<string>>;
    this.buckets = buckets;
    this.endpoint = pulumi.output(GCS_S3_ENDPOINT);
    this.registerOutputs({ buckets, endpoint: this.endpoint });
  }
}
