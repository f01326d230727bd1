import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** Secret Manager's rule for secret IDs. */
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

function assertSecretId(secretId: string): string {
  if (!SECRET_ID.test(secretId)) {
    throw new Error(
      `Secret ID "${secretId}" is invalid: Secret Manager accepts 1 to 255 letters, digits, "-" and "_"`,
    );
  }
  return secretId;
}

/**
 * A Secret Manager secret ID from a prefix and a suffix, e.g.
 * `secretIdFor('aia-production', 'redis-url')` → `aia-production-redis-url`.
 * Throws when the result is not a valid secret ID.
 */
export const secretIdFor = (prefix: string, suffix: string): string =>
  assertSecretId(`${prefix}-${suffix}`);

export interface SecretManagerSecretArgs {
  /** Project that holds the secret. */
  readonly project: string;
  /** Deterministic secret ID, unique in the project; build it with `secretIdFor`. */
  readonly secretId: string;
  /** The value to store. Always stored as a Pulumi secret, whatever its origin. */
  readonly value: pulumi.Input<string>;
  /** Labels on the secret (lower-case keys and values). */
  readonly labels: Readonly<Record<string, string>>;
  /** Make Pulumi refuse to delete the secret. Default `true`. */
  readonly deletionProtection?: boolean;
}

/**
 * One Secret Manager secret (automatic replication) holding one version with `value`.
 * A changed value adds a new version and disables, rather than destroys, the previous one, so a
 * mistaken rotation can be undone.
 */
export class SecretManagerSecret extends pulumi.ComponentResource {
  /** Full resource ID, `projects/<project>/secrets/<secretId>`. */
  readonly secretId: pulumi.Output<string>;
  /** The short secret ID, e.g. `aia-production-redis-url`. */
  readonly name: pulumi.Output<string>;
  /** Full resource name of the current version, `projects/…/secrets/<secretId>/versions/<n>`. */
  readonly version: pulumi.Output<string>;

  constructor(name: string, args: SecretManagerSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    assertSecretId(args.secretId);
    super('aia:platform:SecretManagerSecret', name, {}, opts);

    const secret = new gcp.secretmanager.Secret(
      `${name}-secret`,
      {
        project: args.project,
        secretId: args.secretId,
        replication: { auto: {} },
        labels: { ...args.labels },
        deletionProtection: args.deletionProtection ?? true,
      },
      { parent: this },
    );
    const version = new gcp.secretmanager.SecretVersion(
      `${name}-version`,
      {
        secret: secret.id,
        secretData: pulumi.secret(args.value),
        deletionPolicy: 'DISABLE',
      },
      { parent: this },
    );

    this.secretId = secret.id;
    this.name = secret.secretId;
    this.version = version.name;
    this.registerOutputs({ secretId: this.secretId, name: this.name, version: this.version });
  }
}
