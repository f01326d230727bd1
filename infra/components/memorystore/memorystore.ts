import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { SecretManagerSecret, secretIdFor } from '../secret-manager/index.js';
import {
  type RedisTier,
  redisInstanceId,
  redisMaintenancePolicy,
  redisReplication,
  redisUrl,
  type Weekday,
} from './settings.js';

export interface MemorystoreRedisArgs {
  readonly project: string;
  readonly region: string;
  /** Prefix of the instance ID and secret ID, e.g. `aia-production`. */
  readonly secretPrefix: string;
  /** VPC network id or self link the instance is reachable from (`authorizedNetwork`). */
  readonly network: pulumi.Input<string>;
  /** The private services access connection; the instance waits for it. */
  readonly privateServicesConnection: pulumi.Resource;
  /** STANDARD_HA: a replica in a second zone with automatic failover. */
  readonly tier: RedisTier;
  readonly memorySizeGb: number;
  readonly version: 'REDIS_7_0' | 'REDIS_7_2';
  /** How often an RDB snapshot is taken. */
  readonly snapshotPeriod: 'ONE_HOUR' | 'SIX_HOURS' | 'TWELVE_HOURS' | 'TWENTY_FOUR_HOURS';
  /** Weekly maintenance window: day and hour UTC. */
  readonly maintenance: { readonly day: Weekday; readonly hour: number };
  readonly labels: Record<string, string>;
  /** Make Pulumi refuse to delete the instance and the URL secret. Default `true`. */
  readonly deletionProtection?: boolean;
}

/**
 * Memorystore for Redis on private services access, with AUTH, TLS (server authentication) and
 * RDB snapshots. The connection URL, AUTH string included, goes to Secret Manager as
 * `<secretPrefix>-redis-url`.
 */
export class MemorystoreRedis extends pulumi.ComponentResource {
  readonly host: pulumi.Output<string>;
  /** The TLS port (6378 with in-transit encryption). */
  readonly port: pulumi.Output<number>;
  /** Full Secret Manager ID of the secret holding `redisUrl`. */
  readonly redisUrlSecretId: pulumi.Output<string>;
  /** `rediss://:<auth>@<host>:<port>`; a secret output. */
  readonly redisUrl: pulumi.Output<string>;
  /** PEM certificates of the server CAs, for clients to verify the server's TLS certificate. */
  readonly serverCaCertificates: pulumi.Output<string[]>;

  constructor(name: string, args: MemorystoreRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    const instanceId = redisInstanceId(args.secretPrefix);
    const secretId = secretIdFor(args.secretPrefix, 'redis-url');
    super('aia:platform:MemorystoreRedis', name, {}, opts);
    const deletionProtection = args.deletionProtection ?? true;

    const instance = new gcp.redis.Instance(
      `${name}-instance`,
      {
        project: args.project,
        region: args.region,
        name: instanceId,
        tier: args.tier,
        memorySizeGb: args.memorySizeGb,
        redisVersion: args.version,
        authorizedNetwork: args.network,
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
        persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: args.snapshotPeriod },
        maintenancePolicy: redisMaintenancePolicy(args.maintenance),
        ...redisReplication(args.tier),
        labels: { ...args.labels },
        deletionProtection,
      },
      { parent: this, dependsOn: [args.privateServicesConnection] },
    );

    this.host = instance.host;
    this.port = instance.port;
    this.redisUrl = pulumi.secret(
      pulumi
        .all([instance.authString, instance.host, instance.port])
        .apply(([authString, host, port]) => redisUrl({ authString, host, port })),
    );
    const secret = new SecretManagerSecret(
      `${name}-redis-url`,
      {
        project: args.project,
        secretId,
        value: this.redisUrl,
        labels: args.labels,
        deletionProtection,
      },
      { parent: this },
    );
    this.redisUrlSecretId = secret.secretId;
    this.serverCaCertificates = instance.serverCaCerts.apply((certificates) =>
      certificates.map((certificate) => certificate.cert),
    );
    this.registerOutputs({
      host: this.host,
      port: this.port,
      redisUrlSecretId: this.redisUrlSecretId,
      redisUrl: this.redisUrl,
      serverCaCertificates: this.serverCaCertificates,
    });
  }
}
