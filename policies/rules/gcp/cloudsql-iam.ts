import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';

/** Roles that administer Cloud SQL (users, instances, backups): no workload needs one. */
const ADMINISTERING = new Set([
  'roles/cloudsql.admin',
  'roles/cloudsql.editor',
  'roles/owner',
  'roles/editor',
]);

/**
 * A workload's service account may connect to Cloud SQL (roles/cloudsql.client) and log in as
 * its IAM database user (roles/cloudsql.instanceUser), nothing more: with cloudsql.admin it could
 * create itself a password superuser and read every database.
 */
export const cloudSqlLeastPrivilege: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-workload-least-privilege',
  description:
    'Service accounts get roles/cloudsql.client and roles/cloudsql.instanceUser, never a role that administers Cloud SQL.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.projects.IAMMember, (grant, args, report) => {
    const role = grant.role ?? '';
    if (!ADMINISTERING.has(role) || !grant.member?.startsWith('serviceAccount:')) return;
    report(
      `${args.name}: ${grant.member} gets ${role} on project '${grant.project}', which administers Cloud SQL (it could create a password superuser and read every database): grant roles/cloudsql.client and roles/cloudsql.instanceUser.`,
    );
  }),
};
