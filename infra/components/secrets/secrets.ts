import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { SecretManagerSecret, secretIdFor } from '../secret-manager/index.js';
import { kebabCase, planSecrets } from './plan.js';

/** Length of generated platform secrets: letters and digits, about 380 bits. */
export const GENERATED_SECRET_LENGTH = 64;

export interface PlatformSecretsArgs {
  readonly project: string;
  /** Prefix of the secret IDs: `<secretPrefix>-<kebab-case env name>`, e.g. `aia-production-encryption-key`. */
  readonly secretPrefix: string;
  readonly labels: Record<string, string>;
  /** Environment variable names to generate unless provided, e.g. `['ENCRYPTION_KEY', 'TREASURY_PRIVATE_KEY']`. */
  readonly generated: readonly string[];
  /**
   * Values from secret config by environment variable name (LLM provider keys, say). A value for
   * a generated name replaces the generated one.
   */
  readonly provided: Readonly<Record<string, pulumi.Output<string>>>;
  /** Make Pulumi refuse to delete the secrets. Default `true`. */
  readonly deletionProtection?: boolean;
}

/**
 * The platform's application secrets (signing, encryption and treasury keys, LLM provider keys),
 * generated with @pulumi/random or taken from secret config, each stored in Secret Manager.
 */
export class PlatformSecrets extends pulumi.ComponentResource {
  /** Full Secret Manager ID per environment variable name. */
  readonly secretIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The value per environment variable name; every one a secret output. */
  readonly values: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: PlatformSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planSecrets(args.generated, Object.keys(args.provided)).map(({ envName }) => ({
      envName,
      role: `${name}-${kebabCase(envName)}`,
      secretId: secretIdFor(args.secretPrefix, kebabCase(envName)),
    }));
    super('aia:platform:PlatformSecrets', name, {}, opts);

    const stored = plan.map(({ envName, role, secretId }) => {
      const value = pulumi.secret(
        args.provided[envName] ??
          new random.RandomPassword(
            `${role}-value`,
            { length: GENERATED_SECRET_LENGTH, special: false },
            { parent: this },
          ).result,
      );
      const secret = new SecretManagerSecret(
        role,
        {
          project: args.project,
          secretId,
          value,
          labels: args.labels,
          deletionProtection: args.deletionProtection ?? true,
        },
        { parent: this },
      );
      return { envName, value, secretId: secret.secretId };
    });

    this.secretIds = Object.fromEntries(stored.map(({ envName, secretId }) => [envName, secretId]));
    this.values = Object.fromEntries(stored.map(({ envName, value }) => [envName, value]));
    this.registerOutputs({ secretIds: this.secretIds, values: this.values });
  }
}
