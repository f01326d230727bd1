import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { backupWriterCannotDelete, storageLeastPrivilege } from './storage-iam.js';

const SERVICE = 'serviceAccount:venture-discovery-production@p.iam.gserviceaccount.com';
const BACKUP = 'serviceAccount:aia-production-neo4j-backup@p.iam.gserviceaccount.com';
const bucketGrant = (role: string, member = SERVICE, bucket = 'aia-production-reports') =>
  planned('gcp:storage/bucketIAMMember:BucketIAMMember', `grant-${role}`, {
    bucket,
    role,
    member,
  });
const projectGrant = (role: string) =>
  planned('gcp:projects/iAMMember:IAMMember', 'project-grant', {
    project: 'p',
    role,
    member: SERVICE,
  });
const check = async (
  policy: typeof storageLeastPrivilege,
  ...resources: ReturnType<typeof planned>[]
) => messagesOf(await violationsOf([policy], resources));

describe('gcp-storage-least-privilege', () => {
  it('accepts object roles on one bucket', async () => {
    for (const role of ['objectViewer', 'objectCreator', 'objectUser']) {
      expect(await check(storageLeastPrivilege, bucketGrant(`roles/storage.${role}`))).toEqual([]);
    }
  });

  it('flags objectAdmin and storage.admin for a service account, saying which roles to grant', async () => {
    expect(await check(storageLeastPrivilege, bucketGrant('roles/storage.objectAdmin'))).toEqual([
      `grant-roles/storage.objectAdmin: ${SERVICE} gets roles/storage.objectAdmin on bucket 'aia-production-reports', which lets it change the bucket's access and delete every object: grant roles/storage.objectViewer (read), roles/storage.objectCreator (create only) or roles/storage.objectUser (read, write, delete objects) instead.`,
    ]);
    expect(await check(storageLeastPrivilege, bucketGrant('roles/storage.admin'))).toHaveLength(1);
  });

  it('flags any storage role granted on the project, which reaches every bucket', async () => {
    const [message] = await check(
      storageLeastPrivilege,
      projectGrant('roles/storage.objectViewer'),
    );
    expect(message).toContain("gets roles/storage.objectViewer on project 'p', so on every bucket");
    expect(await check(storageLeastPrivilege, projectGrant('roles/logging.logWriter'))).toEqual([]);
  });

  it('leaves people and groups to the project owners', async () => {
    const grant = bucketGrant('roles/storage.admin', 'group:platform@aia-platform.dev');
    expect(await check(storageLeastPrivilege, grant)).toEqual([]);
  });
});

describe('gcp-storage-backup-no-delete', () => {
  const backups = 'aia-production-neo4j-backups';

  it('accepts create and read on the backup bucket', async () => {
    const grants = ['objectCreator', 'objectViewer'].map((role) =>
      bucketGrant(`roles/storage.${role}`, BACKUP, backups),
    );
    expect(await check(backupWriterCannotDelete, ...grants)).toEqual([]);
  });

  it('flags a role that can delete or overwrite backups, on the bucket or for the backup identity', async () => {
    expect(
      await check(
        backupWriterCannotDelete,
        bucketGrant('roles/storage.objectUser', BACKUP, backups),
      ),
    ).toEqual([
      `grant-roles/storage.objectUser: ${BACKUP} gets roles/storage.objectUser on bucket '${backups}', which can delete or overwrite backups, so whoever steals the identity can destroy them: grant roles/storage.objectCreator and roles/storage.objectViewer only.`,
    ]);
    const elsewhere = bucketGrant('roles/storage.objectAdmin', BACKUP, 'aia-production-reports');
    expect(await check(backupWriterCannotDelete, elsewhere)).toHaveLength(1);
    const otherOnBackups = bucketGrant('roles/storage.objectUser', SERVICE, backups);
    expect(await check(backupWriterCannotDelete, otherOnBackups)).toHaveLength(1);
  });

  it('leaves deleting roles on other buckets to other services', async () => {
    expect(await check(backupWriterCannotDelete, bucketGrant('roles/storage.objectUser'))).toEqual(
      [],
    );
  });
});
