import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { cloudSqlLeastPrivilege } from './cloudsql-iam.js';

const SERVICE = 'serviceAccount:aia-production-economic-governor@p.iam.gserviceaccount.com';
const grant = (role: string, member = SERVICE) =>
  planned('gcp:projects/iAMMember:IAMMember', `grant-${role}`, { project: 'p', role, member });
const check = async (role: string, member?: string) =>
  messagesOf(await violationsOf([cloudSqlLeastPrivilege], [grant(role, member)]));

describe('gcp-cloudsql-workload-least-privilege', () => {
  it('accepts what a service needs to log in as its IAM database user', async () => {
    expect(await check('roles/cloudsql.client')).toEqual([]);
    expect(await check('roles/cloudsql.instanceUser')).toEqual([]);
  });

  it('flags a role that administers Cloud SQL, saying which roles to grant', async () => {
    expect(await check('roles/cloudsql.admin')).toEqual([
      `grant-roles/cloudsql.admin: ${SERVICE} gets roles/cloudsql.admin on project 'p', which administers Cloud SQL (it could create a password superuser and read every database): grant roles/cloudsql.client and roles/cloudsql.instanceUser.`,
    ]);
    expect(await check('roles/editor')).toHaveLength(1);
  });

  it('leaves people and groups to the organisation', async () => {
    expect(await check('roles/cloudsql.admin', 'group:dba@aia-platform.dev')).toEqual([]);
  });
});
