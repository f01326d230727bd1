import type * as gcp from '@pulumi/gcp';
import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from '../security-contexts.js';
import { NEO4J_BOLT_PORT, NEO4J_IMAGE, NEO4J_RELEASE, NEO4J_UID, NEO4J_USER } from './settings.js';

/** gcloud for the upload; `-slim` is Debian with Python and gcloud only. */
export const CLOUD_SDK_IMAGE = 'google/cloud-sdk:502.0.0-slim';
/** Kubernetes ServiceAccount of the backup pods, bound to the Google one. */
export const BACKUP_KSA = 'neo4j-backup';
/**
 * The backup identity's roles on its bucket: objectCreator to upload a dump, objectViewer for the
 * upload's existence checks. Neither holds storage.objects.delete (policy `gcp-storage-backup-no-delete`).
 */
export const BACKUP_ROLES = ['roles/storage.objectCreator', 'roles/storage.objectViewer'] as const;
/** The backup pod's containers: the export (an init container), then the upload. */
export const BACKUP_EXPORT_RESOURCES = {
  requests: { cpu: '250m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};
export const BACKUP_UPLOAD_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};
/** Days a replaced or expired backup stays restorable as a noncurrent version. */
export const NONCURRENT_RETENTION_DAYS = 7;

const BUCKET_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
const ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/**
 * `<prefix>-neo4j-backups-<location>` (`aia-production-neo4j-backups-nam4`): the location in the
 * name, as a bucket's location cannot change; throws, saying why, when Cloud Storage would refuse it.
 */
export function backupBucketName(prefix: string, location: string): string {
  const name = `${prefix}-neo4j-backups-${location}`;
  if (!BUCKET_NAME.test(name)) {
    throw new Error(
      `Bucket name "${name}" is invalid: Cloud Storage accepts 3 to 63 lower-case letters, digits, "-" and "_", starting and ending with a letter or digit`,
    );
  }
  return name;
}

/** `<prefix>-neo4j-backup`; throws, saying why, when IAM would refuse it as an account ID. */
export function backupAccountId(prefix: string): string {
  const id = `${prefix}-neo4j-backup`;
  if (!ACCOUNT_ID.test(id)) {
    throw new Error(
      `Service account ID "${id}" is invalid: IAM accepts 6 to 30 lower-case letters, digits and "-", starting with a letter`,
    );
  }
  return id;
}

/** Live backups expire after `retentionDays`; the versions they leave go a week later. */
export function backupLifecycleRules(
  retentionDays: number,
): gcp.types.input.storage.BucketLifecycleRule[] {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(`backupRetentionDays must be a whole number of days, 1 or more`);
  }
  return [
    { action: { type: 'Delete' }, condition: { age: retentionDays, withState: 'LIVE' } },
    {
      action: { type: 'Delete' },
      condition: { daysSinceNoncurrentTime: NONCURRENT_RETENTION_DAYS, withState: 'ARCHIVED' },
    },
  ];
}

/**
 * The community edition has no online `neo4j-admin database backup`, and `database dump` needs
 * the database stopped. So the job exports online over Bolt: APOC streams the whole graph,
 * schema included, as cypher-shell statements; each streamed chunk is base64-encoded in the
 * query, so cypher-shell's quoting of strings cannot alter it, and decoded here.
 * Restore: `gunzip -c <file> | cypher-shell -a bolt://neo4j:7687` into an empty database.
 */
export const EXPORT_QUERY = [
  'CALL apoc.export.cypher.all(null, {stream: true, format: "cypher-shell",',
  ' useOptimizations: {type: "UNWIND_BATCH", unwindBatchSize: 1000}})',
  ' YIELD cypherStatements',
  ' RETURN apoc.text.base64Encode(cypherStatements) AS chunk',
].join('');

export const EXPORT_SCRIPT = `set -euo pipefail
cypher-shell --address "bolt://${NEO4J_RELEASE}:${NEO4J_BOLT_PORT}" --format plain --non-interactive "$EXPORT_QUERY" \\
  | tail -n +2 | tr -d '"' \\
  | while IFS= read -r chunk || [ -n "$chunk" ]; do printf '%s' "$chunk" | base64 --decode; done \\
  | gzip -c > /backup/neo4j.cypher.gz
echo "exported $(stat -c %s /backup/neo4j.cypher.gz) bytes"`;

export const UPLOAD_SCRIPT = `set -euo pipefail
object="gs://$BACKUP_BUCKET/neo4j/$(date -u +%Y-%m-%dT%H%M%SZ).cypher.gz"
gcloud storage cp /backup/neo4j.cypher.gz "$object"
echo "uploaded $object"`;

const hardened = CONTAINER_SECURITY_CONTEXT;
const mounts = [
  { name: 'backup', mountPath: '/backup' },
  { name: 'tmp', mountPath: '/tmp' },
];

export interface BackupJobArgs {
  readonly schedule: string;
  readonly bucket: pulumi.Input<string>;
  /** Secret whose `NEO4J_PASSWORD` key holds the password. */
  readonly passwordSecretName: pulumi.Input<string>;
  /** Bounds the scratch volume the export is written to. */
  readonly storageGb: number;
  readonly labels: Record<string, string>;
}

/**
 * The backup CronJob's spec: an init container exports (Neo4j image, cypher-shell), then the
 * main container uploads with gcloud as the Workload Identity service account. One run at a
 * time, UTC schedule, read-only root filesystems with emptyDirs for scratch and /tmp.
 */
export function backupCronJobSpec(args: BackupJobArgs): k8s.types.input.batch.v1.CronJobSpec {
  return {
    schedule: args.schedule,
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 3600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels: args.labels },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 6 * 3600,
        template: {
          metadata: { labels: args.labels },
          spec: {
            serviceAccountName: BACKUP_KSA,
            restartPolicy: 'Never',
            securityContext: podSecurityContext({ user: NEO4J_UID }),
            initContainers: [
              {
                name: 'export',
                image: NEO4J_IMAGE,
                command: ['/bin/bash', '-c', EXPORT_SCRIPT],
                env: [
                  { name: 'EXPORT_QUERY', value: EXPORT_QUERY },
                  { name: 'NEO4J_USERNAME', value: NEO4J_USER },
                  {
                    name: 'NEO4J_PASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: args.passwordSecretName, key: 'NEO4J_PASSWORD' },
                    },
                  },
                  { name: 'HOME', value: '/tmp' },
                ],
                resources: BACKUP_EXPORT_RESOURCES,
                securityContext: hardened,
                volumeMounts: mounts,
              },
            ],
            containers: [
              {
                name: 'upload',
                image: CLOUD_SDK_IMAGE,
                command: ['/bin/bash', '-c', UPLOAD_SCRIPT],
                env: [
                  { name: 'BACKUP_BUCKET', value: args.bucket },
                  { name: 'HOME', value: '/tmp' },
                  { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' },
                  { name: 'CLOUDSDK_CORE_DISABLE_PROMPTS', value: '1' },
                ],
                resources: BACKUP_UPLOAD_RESOURCES,
                securityContext: hardened,
                volumeMounts: mounts,
              },
            ],
            volumes: [
              { name: 'backup', emptyDir: { sizeLimit: `${args.storageGb}Gi` } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
            ],
          },
        },
      },
    },
  };
}
