import * as pulumi from '@pulumi/pulumi';
import { type StackConfig, stackConfigSchema } from './config-schema.js';

export * from './config-schema.js';

/** Pulumi config namespace of this project. */
export const NAMESPACE = 'aia-platform';

/**
 * Secrets read from secret config (`pulumi config set --secret <key> ...`). Generated ones get a
 * random value when not set; provider keys are optional and enable their provider when set.
 */
export const SECRET_KEYS = {
  jwtSecretKey: { env: 'JWT_SECRET_KEY', generated: true },
  encryptionKey: { env: 'ENCRYPTION_KEY', generated: true },
  treasuryPrivateKey: { env: 'TREASURY_PRIVATE_KEY', generated: true },
  openaiApiKey: { env: 'OPENAI_API_KEY', generated: false },
  anthropicApiKey: { env: 'ANTHROPIC_API_KEY', generated: false },
  googleApiKey: { env: 'GOOGLE_API_KEY', generated: false },
  groqApiKey: { env: 'GROQ_API_KEY', generated: false },
  azureOpenaiKey: { env: 'AZURE_OPENAI_KEY', generated: false },
  huggingfaceApiKey: { env: 'HUGGINGFACE_API_KEY', generated: false },
} as const;
export type SecretKey = keyof typeof SECRET_KEYS;

/** Receiver credentials of Alertmanager, from secret config; a receiver without one stays silent. */
export const RECEIVER_SECRET_KEYS = ['slackWebhookUrl', 'smtpPassword'] as const;
export type ReceiverSecretKey = (typeof RECEIVER_SECRET_KEYS)[number];
export interface LoadedConfig {
  readonly config: StackConfig;
  /** Secret config values that are set, as secret outputs. */
  readonly secrets: Partial<Record<SecretKey, pulumi.Output<string>>>;
  /** Alertmanager receiver credentials that are set. */
  readonly receiverSecrets: Partial<Record<ReceiverSecretKey, pulumi.Output<string>>>;
}

/** Error naming every bad or missing key of the stack configuration. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

const KEY_OF_FIELD: Record<string, string> = {
  project: 'gcp:project',
  region: 'gcp:region',
  stack: 'stack name',
};

/**
 * Reads every `pulumi.Config` value of the program (this is the only place that does) and
 * validates it. A bad or missing key fails with its name and what it expects.
 */
export function loadStackConfig(): LoadedConfig {
  const gcp = new pulumi.Config('gcp');
  const aia = new pulumi.Config(NAMESPACE);
  const raw = {
    stack: pulumi.getStack(),
    project: gcp.get('project'),
    region: gcp.get('region') ?? 'us-central1',
    zones: aia.getObject<unknown>('zones'),
    domain: aia.get('domain'),
    grafanaDomain: aia.get('grafanaDomain'),
    imageRepository: aia.get('imageRepository'),
    imageTag: aia.get('imageTag'),
    network: aia.getObject<unknown>('network'),
    cluster: aia.getObject<unknown>('cluster'),
    cloudSql: aia.getObject<unknown>('cloudSql'),
    redis: aia.getObject<unknown>('redis'),
    workloads: aia.getObject<unknown>('workloads'),
    alerting: aia.getObject<unknown>('alerting'),
    services: aia.getObject<unknown>('services'),
    tokens: aia.getObject<unknown>('tokens'),
  };
  const result = stackConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [field, ...rest] = issue.path.map(String);
      const key = KEY_OF_FIELD[field ?? ''] ?? `${NAMESPACE}:${field}`;
      const where = rest.length > 0 ? `${key} → ${rest.join('.')}` : key;
      const missing =
        field !== undefined && rest.length === 0 && raw[field as keyof typeof raw] === undefined;
      return `  - ${where}: ${missing ? `required (pulumi config set ${key} ...)` : issue.message}`;
    });
    throw new StackConfigError(
      `Invalid configuration for stack ${raw.stack}:\n${problems.join('\n')}`,
    );
  }
  const secrets: LoadedConfig['secrets'] = {};
  for (const key of Object.keys(SECRET_KEYS) as SecretKey[]) {
    const value = aia.getSecret(key);
    if (value) secrets[key] = value;
  }
  const receiverSecrets: LoadedConfig['receiverSecrets'] = {};
  for (const key of RECEIVER_SECRET_KEYS) {
    const value = aia.getSecret(key);
    if (value) receiverSecrets[key] = value;
  }
  return { config: result.data, secrets, receiverSecrets };
}

/** `repo:tag`, or `repo@sha256:...` when the configured tag is a digest. */
export const imageReference = ({
  imageRepository,
  imageTag,
}: Pick<StackConfig, 'imageRepository' | 'imageTag'>) =>
  imageTag.startsWith('sha256:')
    ? `${imageRepository}@${imageTag}`
    : `${imageRepository}:${imageTag}`;
