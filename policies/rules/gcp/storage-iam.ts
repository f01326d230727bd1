import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';

/** Roles that administer a bucket or its objects' access, beyond what a workload needs. */
const ADMIN_ROLES = new Set([
  'roles/storage.admin',
  'roles/storage.objectAdmin',
  'roles/storage.legacyBucketOwner',
  'roles/storage.legacyObjectOwner',
]);

/** Roles that hold storage.objects.delete (so also overwrite): none may go to a backup writer. */
const DELETING_ROLES = new Set([
  ...ADMIN_ROLES,
  'roles/storage.objectUser',
  'roles/storage.legacyBucketWriter',
]);

const LEAST_ROLES =
  'roles/storage.objectViewer (read), roles/storage.objectCreator (create only) or roles/storage.objectUser (read, write, delete objects)';

const isServiceAccount = (member: string | undefined) => member?.startsWith('serviceAccount:');
const members = (grant: { member?: string; members?: string[] }) =>
  grant.member !== undefined ? [grant.member] : (grant.members ?? []);

/** Backups are named so (`<prefix>-neo4j-backups`), and so are the identities that write them. */
const aboutBackups = (bucket: string | undefined, member: string) =>
  /backup/i.test(bucket ?? '') || /^serviceAccount:[^@]*backup/i.test(member);

type BucketGrant = { bucket?: string; role?: string; member?: string; members?: string[] };
type ProjectGrant = { project?: string; role?: string; member?: string; members?: string[] };

const checkBucketGrant = (
  grant: BucketGrant,
  args: { name: string },
  report: (message: string) => void,
) => {
  const role = grant.role ?? '';
  for (const member of members(grant).filter(isServiceAccount)) {
    if (ADMIN_ROLES.has(role)) {
      report(
        `${args.name}: ${member} gets ${role} on bucket '${grant.bucket}', which lets it change the bucket's access and delete every object: grant ${LEAST_ROLES} instead.`,
      );
    }
  }
};

const checkProjectGrant = (
  grant: ProjectGrant,
  args: { name: string },
  report: (message: string) => void,
) => {
  const role = grant.role ?? '';
  if (!role.startsWith('roles/storage.')) return;
  for (const member of members(grant).filter(isServiceAccount)) {
    report(
      `${args.name}: ${member} gets ${role} on project '${grant.project}', so on every bucket in it: grant ${LEAST_ROLES} on the one bucket it needs (gcp.storage.BucketIAMMember).`,
    );
  }
};

export const storageLeastPrivilege: ResourceValidationPolicy = {
  name: 'gcp-storage-least-privilege',
  description:
    'Service accounts get object roles on single buckets: never roles/storage.admin or objectAdmin, never a storage role on the project.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(gcp.storage.BucketIAMMember, checkBucketGrant),
    validateResourceOfType(gcp.storage.BucketIAMBinding, checkBucketGrant),
    validateResourceOfType(gcp.projects.IAMMember, checkProjectGrant),
    validateResourceOfType(gcp.projects.IAMBinding, checkProjectGrant),
  ],
};

const checkBackupGrant = (
  grant: BucketGrant,
  args: { name: string },
  report: (message: string) => void,
) => {
  const role = grant.role ?? '';
  if (!DELETING_ROLES.has(role)) return;
  for (const member of members(grant).filter(isServiceAccount)) {
    if (!aboutBackups(grant.bucket, member)) continue;
    report(
      `${args.name}: ${member} gets ${role} on bucket '${grant.bucket}', which can delete or overwrite backups, so whoever steals the identity can destroy them: grant roles/storage.objectCreator and roles/storage.objectViewer only.`,
    );
  }
};

export const backupWriterCannotDelete: ResourceValidationPolicy = {
  name: 'gcp-storage-backup-no-delete',
  description:
    'A service account that writes backups, or any on a backup bucket, may create and read objects but never delete or overwrite them.',
  enforcementLevel: 'mandatory',
  validateResource: [
    validateResourceOfType(gcp.storage.BucketIAMMember, checkBackupGrant),
    validateResourceOfType(gcp.storage.BucketIAMBinding, checkBackupGrant),
  ],
};

export const storageIamPolicies: ResourceValidationPolicy[] = [
  storageLeastPrivilege,
  backupWriterCannotDelete,
];
