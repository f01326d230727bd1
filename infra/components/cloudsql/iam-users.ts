import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { iamDatabaseUser } from './iam-grants.js';

/** Cloud SQL roles a service's identity holds: connect through the connector, log in as itself. */
export const SERVICE_CLOUDSQL_ROLES = ['roles/cloudsql.client', 'roles/cloudsql.instanceUser'];

export interface CloudSqlIamUsersArgs {
  readonly project: string;
  /** The instance's name (not its connection name). */
  readonly instance: pulumi.Input<string>;
  /** Service → its Google service account email (Workload Identity). */
  readonly serviceAccounts: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * The in-region read replica and the services that read from it (`CLOUD_SQL_READ_INSTANCE`):
   * their roles hold on the replica too, where the connector fetches certificates and they log in
   * as the same IAM user (the replica copies the primary's users). Default none.
   */
  readonly readReplica?: {
    readonly instance: pulumi.Input<string>;
    readonly services: readonly string[];
  };
  /**
   * The cross-region disaster recovery replica (`<prefix>-postgres-dr-<region>`): every service's roles
   * hold on it from the day it exists, so the lost-region runbook's promotion and repoint need no
   * IAM change during the incident (the replica copies the primary's IAM users and their grants,
   * and keeps them once promoted). Default none.
   */
  readonly disasterRecoveryInstance?: pulumi.Input<string>;
  /**
   * The primary is this adopted instance (`cloudSql.adoptPrimary`: this stack's own promoted
   * disaster recovery replica, after the stack moved region). The replica copied every service's
   * IAM user, so each is imported, not created (`<project>/<instance>/<user>`, the provider's
   * import id of a PostgreSQL user). `users` names them, service → user, as plain strings: an
   * import id cannot wait for an output. Default none.
   */
  readonly adoptedInstance?: {
    readonly name: string;
    readonly users: Readonly<Record<string, string>>;
  };
}

/** The IAM condition naming the instances a service's Cloud SQL roles hold on. */
function instancesCondition(project: string, instances: readonly pulumi.Input<string>[]) {
  const names = instances.map(
    (instance) => pulumi.interpolate`resource.name == "projects/${project}/instances/${instance}"`,
  );
  return pulumi
    .all(names)
    .apply((clauses) =>
      clauses.length === 1
        ? `resource.type == "sqladmin.googleapis.com/Instance" && ${clauses[0]}`
        : `resource.type == "sqladmin.googleapis.com/Instance" && (${clauses.join(' || ')})`,
    );
}

/**
 * One IAM database user per service (type CLOUD_IAM_SERVICE_ACCOUNT, named after its service
 * account) and the two roles the connector needs, conditioned on this instance and its replicas. Cloud SQL creates
 * these users without privileges: the grant script (iam-grants.ts) gives each its own database.
 */
export class CloudSqlIamUsers extends pulumi.ComponentResource {
  /** Service → its IAM database user name. */
  readonly users: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: CloudSqlIamUsersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:CloudSqlIamUsers', name, {}, opts);
    const parent = { parent: this };
    const users: Record<string, pulumi.Output<string>> = {};
    for (const [service, email] of Object.entries(args.serviceAccounts)) {
      const adopted = args.adoptedInstance;
      const importedName = adopted?.users[service];
      if (adopted && importedName === undefined) {
        throw new Error(
          `CloudSqlIamUsers: adoptedInstance names no IAM user for ${service}, whose user already exists on ${adopted.name}`,
        );
      }
      const user = new gcp.sql.User(
        `${name}-${service}-iam-user`,
        {
          project: args.project,
          instance: args.instance,
          name: pulumi.output(email).apply(iamDatabaseUser),
          type: 'CLOUD_IAM_SERVICE_ACCOUNT',
          // PostgreSQL refuses to drop a role that still owns objects; the API delete would fail.
          deletionPolicy: 'ABANDON',
        },
        {
          ...parent,
          ...(adopted ? { import: `${args.project}/${adopted.name}/${importedName}` } : {}),
        },
      );
      users[service] = user.name;
      const reads = args.readReplica?.services.includes(service) ? [args.readReplica.instance] : [];
      const recovery = args.disasterRecoveryInstance ? [args.disasterRecoveryInstance] : [];
      const expression = instancesCondition(args.project, [args.instance, ...reads, ...recovery]);
      const replicas = [
        ...(reads.length > 0 ? ['its read replica'] : []),
        ...(recovery.length > 0 ? ['its disaster recovery replica'] : []),
      ];
      const last = replicas.pop();
      const title =
        ['this Cloud SQL instance', ...replicas].join(', ') + (last ? ` and ${last}` : '');
      for (const role of SERVICE_CLOUDSQL_ROLES) {
        new gcp.projects.IAMMember(
          `${name}-${service}-${role.split('.').pop()}`,
          {
            project: args.project,
            role,
            member: pulumi.interpolate`serviceAccount:${email}`,
            // This instance and its replicas (the read replica for a reader) only, not every
            // instance in the project.
            condition: {
              title,
              expression,
            },
          },
          parent,
        );
      }
    }
    this.users = users;
    this.registerOutputs({ users });
  }
}
