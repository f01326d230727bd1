import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { SERVICE_CLOUDSQL_ROLES } from './iam-users.js';

export interface CloudSqlAuditorsArgs {
  readonly project: string;
  /** The primary's name: the group's roles hold on every instance whose name starts with it. */
  readonly instance: pulumi.Input<string>;
  /** The Google group of the people who run the ledger checks (`cloudSql.auditorsGroup`). */
  readonly group: string;
  /**
   * The primary is this adopted instance (`cloudSql.adoptPrimary`): the group's user came over
   * with the data, so it is imported, not created. Default none.
   */
  readonly adoptedInstance?: string;
}

/**
 * The auditors' way into Cloud SQL without a shared password: an IAM database user for their
 * Google group (`CLOUD_IAM_GROUP`; a member logs in as their own email and Cloud SQL creates
 * their user on first login, with the group role's privileges), and the connector's two roles
 * for the group. The roles hold on instances whose name starts with the primary's: the primary,
 * its replicas and the restore drill's clones (`<primary>-drill-<time>`), which copy the group
 * user and its grants. What the group may read comes from the grant script (iam-grants.ts):
 * SELECT on the ledger's database.
 */
export class CloudSqlAuditors extends pulumi.ComponentResource {
  /** The group's PostgreSQL role: its email. */
  readonly role: pulumi.Output<string>;

  constructor(name: string, args: CloudSqlAuditorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:CloudSqlAuditors', name, {}, opts);
    const parent = { parent: this };
    const user = new gcp.sql.User(
      `${name}-group-user`,
      {
        project: args.project,
        instance: args.instance,
        name: args.group,
        type: 'CLOUD_IAM_GROUP',
        // A role holding grants cannot be dropped; the API delete would fail.
        deletionPolicy: 'ABANDON',
      },
      {
        ...parent,
        ...(args.adoptedInstance
          ? { import: `${args.project}/${args.adoptedInstance}/${args.group}` }
          : {}),
      },
    );
    const expression = pulumi.interpolate`resource.type == "sqladmin.googleapis.com/Instance" && resource.name.startsWith("projects/${args.project}/instances/${args.instance}")`;
    for (const role of SERVICE_CLOUDSQL_ROLES) {
      new gcp.projects.IAMMember(
        `${name}-${role.split('.').pop()}`,
        {
          project: args.project,
          role,
          member: `group:${args.group}`,
          condition: {
            title: 'this Cloud SQL instance, its replicas and its drill clones',
            expression,
          },
        },
        parent,
      );
    }
    this.role = user.name;
    this.registerOutputs({ role: this.role });
  }
}
