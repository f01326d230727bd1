import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { SecretManagerSecret, secretIdFor } from '../secret-manager/index.js';
import {
  PASSWORD_LENGTH,
  postgresUrl,
  type ServiceDatabase,
  validateDatabases,
} from './databases.js';
import { instanceNames } from './instance-names.js';
import {
  AUTORESIZED_DISK,
  primarySettings,
  replicaSettings,
  validateInstanceSettings,
} from './settings.js';

export interface CloudSqlPostgresArgs {
  readonly project: string;
  readonly region: string;
  /** Prefix of instance names and secret IDs, e.g. `aia-production`. */
  readonly secretPrefix: string;
  /** VPC network id or self link; the instances get a private address in it and no public one. */
  readonly network: pulumi.Input<string>;
  /** The private services access connection; the instances wait for it. */
  readonly privateServicesConnection: pulumi.Resource;
  readonly databaseVersion: 'POSTGRES_15' | 'POSTGRES_16';
  /** Machine tier, e.g. `db-custom-2-7680`; `db-perf-optimized-*` tiers run on ENTERPRISE_PLUS. */
  readonly tier: string;
  /** `max_connections` of every instance; default sized to the tier (connections.ts). */
  readonly maxConnections?: number;
  /** REGIONAL: a standby in a second zone with automatic failover. */
  readonly availability: 'ZONAL' | 'REGIONAL';
  /** Initial disk size; the disk grows automatically. */
  readonly diskSizeGb: number;
  /** Daily backups kept; must exceed `pointInTimeRecoveryDays`. */
  readonly backupRetentionDays: number;
  /** Days of transaction log kept for point-in-time recovery (1–7 on ENTERPRISE). */
  readonly pointInTimeRecoveryDays: number;
  /** Add a zonal read replica. */
  readonly readReplica: boolean;
  /**
   * Region of a cross-region read replica for disaster recovery
   * (`<secretPrefix>-postgres-dr-<region>`, instance-names.ts), promoted by hand when the
   * primary's region is lost (docs/runbooks/incidents/lost-region.md). Must differ from `region`.
   * Default: none.
   */
  readonly disasterRecoveryRegion?: string;
  /**
   * The disaster recovery replica has been promoted by hand: the services connect to it
   * (`servingConnectionName`). Requires `disasterRecoveryRegion`. Default false.
   */
  readonly disasterRecoveryPromoted?: boolean;
  /**
   * An existing instance to adopt as the primary instead of creating `<secretPrefix>-postgres`
   * (this stack's own promoted disaster recovery replica, after the stack moved to its region,
   * docs/runbooks/incidents/lost-region.md): the primary takes its name, and the primary, each
   * service's database and its password user are imported (Pulumi's `import` option), since they
   * came over with the data (the IAM users and the auditors' group user too, by CloudSqlIamUsers
   * and CloudSqlAuditors). Default none.
   */
  readonly adoptPrimary?: { readonly instanceName: string };
  /**
   * Protect the instances on both sides (Pulumi's `deletionProtection` and the API's
   * `deletionProtectionEnabled`), keep databases when a service is removed, and protect the
   * database URL secrets.
   */
  readonly deletionProtection: boolean;
  /** Weekly maintenance window: day 1 (Monday) to 7 (Sunday), hour UTC. Backups start 2 h earlier. */
  readonly maintenance: { readonly day: number; readonly hour: number };
  /** Service name → its database and user name, e.g. { 'economic-governor': { database: 'economic_governor', user: 'economic_governor' } } */
  readonly databases: Readonly<Record<string, ServiceDatabase>>;
  /** Labels on the instances and secrets; each URL secret's `service` label names its service. */
  readonly labels: Record<string, string>;
}

/** What a promotion changes on the replica, which the program then leaves alone. */
const PROMOTION_CHANGES = ['masterInstanceName', 'instanceType', 'replicaConfiguration'] as const;

/** What one service gets: its database, its user and its connection URL. */
export interface ServiceDatabaseOutputs {
  readonly database: pulumi.Output<string>;
  readonly user: pulumi.Output<string>;
  /** Full Secret Manager ID of the secret holding `databaseUrl`. */
  readonly databaseUrlSecretId: pulumi.Output<string>;
  /** `postgres://…?sslmode=require` on the private address; a secret output. */
  readonly databaseUrl: pulumi.Output<string>;
}

/**
 * Cloud SQL for PostgreSQL on a private address only, TLS required, daily backups with
 * point-in-time recovery, query insights, audit logging flags, and optionally a read replica.
 * Each service gets a database, a user with a generated password, and its connection URL in
 * Secret Manager (`<secretPrefix>-<service>-database-url`).
 */
export class CloudSqlPostgres extends pulumi.ComponentResource {
  readonly instanceName: pulumi.Output<string>;
  /** `project:region:instance`, for the Cloud SQL connectors and Auth Proxy. */
  readonly connectionName: pulumi.Output<string>;
  readonly privateIp: pulumi.Output<string>;
  /** The primary's own service account: Cloud SQL writes exports to Cloud Storage as it. */
  readonly serviceAccount: pulumi.Output<string>;
  /** Connection name of the read replica; undefined without one. */
  readonly replicaConnectionName: pulumi.Output<string> | undefined;
  /**
   * The instance the services connect to: the primary, or the promoted disaster recovery replica
   * once `disasterRecoveryPromoted` is set.
   */
  readonly servingConnectionName: pulumi.Output<string>;
  /** Name of the instance the services connect to: what the daily SQL exports dump. */
  readonly servingInstanceName: pulumi.Output<string>;
  /**
   * The own service accounts of the instances that export: the primary's, and the disaster
   * recovery replica's once promoted (Cloud SQL writes an export as the exporting instance's
   * account). Not the replica's before: instances of a project may share one account, and two
   * grants of one binding would let removing the replica revoke the primary's.
   */
  readonly servingServiceAccounts: Readonly<
    { primary: pulumi.Output<string> } & Partial<Record<'disasterRecovery', pulumi.Output<string>>>
  >;
  /** Connection name of the cross-region disaster recovery replica; undefined without one. */
  readonly disasterRecoveryConnectionName: pulumi.Output<string> | undefined;
  /**
   * Name of the disaster recovery replica, promoted or not (`<secretPrefix>-postgres-dr-<region>`);
   * undefined without one. What the
   * services' Cloud SQL roles name beside the primary (iam-users.ts).
   */
  readonly disasterRecoveryInstanceName: string | undefined;
  /**
   * Names of the replicas still replicating, by role: the read replica, and the disaster
   * recovery replica until it is promoted. What the replica lag alerts watch.
   */
  readonly replicaInstanceNames: Readonly<Partial<Record<'read' | 'disasterRecovery', string>>>;
  readonly databases: Readonly<Record<string, ServiceDatabaseOutputs>>;

  constructor(name: string, args: CloudSqlPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    validateInstanceSettings(args);
    validateDatabases(args.databases);
    super('aia:platform:CloudSqlPostgres', name, {}, opts);
    const names = instanceNames(args.secretPrefix, args.region, args.disasterRecoveryRegion);
    const replicaName = names.read;
    const drReplicaName = names.disasterRecovery;
    const primaryName = args.adoptPrimary?.instanceName ?? names.primary;
    /** The `import` option of what an adopted primary already holds: nothing otherwise. */
    const adopted = (id: string): pulumi.CustomResourceOptions =>
      args.adoptPrimary ? { import: id } : {};
    const imports = { instanceName: primaryName, adopted };

    const primary = new gcp.sql.DatabaseInstance(
      `${name}-primary`,
      {
        project: args.project,
        region: args.region,
        name: primaryName,
        databaseVersion: args.databaseVersion,
        deletionProtection: args.deletionProtection,
        settings: primarySettings(args),
      },
      {
        // Imported with the replica's settings; the same update turns them into a primary's
        // (backups, point-in-time recovery, availability), in place: name, region and version
        // must match, or the engine would replace the instance holding the data.
        ...adopted(`projects/${args.project}/instances/${primaryName}`),
        parent: this,
        dependsOn: [args.privateServicesConnection],
        ignoreChanges: [...AUTORESIZED_DISK],
      },
    );

    const replica = args.readReplica
      ? new gcp.sql.DatabaseInstance(
          `${name}-replica`,
          {
            project: args.project,
            region: args.region,
            name: replicaName,
            databaseVersion: args.databaseVersion,
            masterInstanceName: primary.name,
            instanceType: 'READ_REPLICA_INSTANCE',
            // No replicaConfiguration: its failoverTarget is MySQL's; PostgreSQL high availability
            // comes from REGIONAL availability of the primary.
            deletionProtection: args.deletionProtection,
            settings: replicaSettings(args),
          },
          {
            parent: this,
            dependsOn: [args.privateServicesConnection],
            ignoreChanges: [...AUTORESIZED_DISK],
          },
        )
      : undefined;

    // Its own region's zone fails with it, so it holds no standby: a replica copies the primary's
    // WAL asynchronously, and what it has not replayed when the region is lost is the RPO.
    const drReplica = args.disasterRecoveryRegion
      ? new gcp.sql.DatabaseInstance(
          `${name}-dr-replica`,
          {
            project: args.project,
            region: args.disasterRecoveryRegion,
            name: drReplicaName,
            databaseVersion: args.databaseVersion,
            masterInstanceName: primary.name,
            instanceType: 'READ_REPLICA_INSTANCE',
            deletionProtection: args.deletionProtection,
            // Once promoted it holds the books: a primary's settings (backups, point-in-time
            // recovery, the availability and maintenance window of a primary), or the next full
            // pulumi up would set back the replica's and leave the ledger without backups.
            settings: args.disasterRecoveryPromoted ? primarySettings(args) : replicaSettings(args),
          },
          {
            parent: this,
            dependsOn: [args.privateServicesConnection],
            // Promotion (gcloud sql instances promote-replica) detaches it from the primary: the
            // program must not replace the instance that now holds the data to re-attach it.
            ignoreChanges: [...AUTORESIZED_DISK, ...PROMOTION_CHANGES],
          },
        )
      : undefined;

    this.instanceName = primary.name;
    this.connectionName = primary.connectionName;
    this.privateIp = primary.privateIpAddress;
    this.serviceAccount = primary.serviceAccountEmailAddress;
    this.replicaConnectionName = replica?.connectionName;
    this.replicaInstanceNames = {
      ...(replica ? { read: replicaName } : {}),
      ...(drReplicaName && !args.disasterRecoveryPromoted
        ? { disasterRecovery: drReplicaName }
        : {}),
    };
    this.disasterRecoveryConnectionName = drReplica?.connectionName;
    this.disasterRecoveryInstanceName = drReplicaName;
    const serving = args.disasterRecoveryPromoted && drReplica ? drReplica : primary;
    this.servingConnectionName = serving.connectionName;
    this.servingInstanceName = serving.name;
    this.servingServiceAccounts = {
      primary: primary.serviceAccountEmailAddress,
      ...(drReplica && args.disasterRecoveryPromoted
        ? { disasterRecovery: drReplica.serviceAccountEmailAddress }
        : {}),
    };
    this.databases = Object.fromEntries(
      Object.entries(args.databases).map(([service, names]) => [
        service,
        this.serviceDatabase(`${name}-${service}`, service, names, primary, args, imports),
      ]),
    );
    this.registerOutputs({
      instanceName: this.instanceName,
      connectionName: this.connectionName,
      privateIp: this.privateIp,
      replicaConnectionName: this.replicaConnectionName,
      disasterRecoveryConnectionName: this.disasterRecoveryConnectionName,
      servingConnectionName: this.servingConnectionName,
      servingInstanceName: this.servingInstanceName,
      databases: this.databases,
    });
  }

  private serviceDatabase(
    name: string,
    service: string,
    names: ServiceDatabase,
    primary: gcp.sql.DatabaseInstance,
    args: CloudSqlPostgresArgs,
    {
      instanceName,
      adopted,
    }: { instanceName: string; adopted: (id: string) => pulumi.CustomResourceOptions },
  ): ServiceDatabaseOutputs {
    const database = new gcp.sql.Database(
      `${name}-database`,
      {
        project: args.project,
        instance: primary.name,
        name: names.database,
        // With protection on, removing a service leaves its data in place.
        deletionPolicy: args.deletionProtection ? 'ABANDON' : 'DELETE',
      },
      {
        ...adopted(
          `projects/${args.project}/instances/${instanceName}/databases/${names.database}`,
        ),
        parent: this,
      },
    );
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: PASSWORD_LENGTH, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
      { parent: this },
    );
    const user = new gcp.sql.User(
      `${name}-user`,
      {
        project: args.project,
        instance: primary.name,
        name: names.user,
        password: password.result,
        // PostgreSQL refuses to drop a role that still owns objects; the API delete would fail.
        deletionPolicy: 'ABANDON',
      },
      // Imported, then given the new password: the grant script left it unable to log in.
      { ...adopted(`${args.project}/${instanceName}/${names.user}`), parent: this },
    );
    // Built from the user's and database's outputs, so the URL exists only once both do.
    const databaseUrl = pulumi.secret(
      pulumi
        .all([user.name, password.result, primary.privateIpAddress, database.name])
        .apply(([userName, secret, host, databaseName]) =>
          postgresUrl({ user: userName, password: secret, host, database: databaseName }),
        ),
    );
    const secret = new SecretManagerSecret(
      `${name}-database-url`,
      {
        project: args.project,
        secretId: secretIdFor(args.secretPrefix, `${service}-database-url`),
        value: databaseUrl,
        labels: { ...args.labels, service },
        deletionProtection: args.deletionProtection,
      },
      { parent: this },
    );
    return {
      database: database.name,
      user: user.name,
      databaseUrlSecretId: secret.secretId,
      databaseUrl,
    };
  }
}
