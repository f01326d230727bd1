import * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import { fieldsAt, unknownKeyProblems, unrecognizedFieldsReason } from './config-keys.js';
import { type StackConfig, stackConfigSchema } from './config-schema.js';
import { type ConfigProblem, type SecretSetting, secretProblems } from './config-secrets.js';

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

/**
 * Error naming every bad or missing key of the stack configuration, with what to do about each.
 * A `RunError`, so a real `pulumi preview` prints the sentences without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
  override readonly name = 'StackConfigError';
  constructor(
    stack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const lines = problems.map(({ key, reason }) => `  - ${key}: ${reason}`);
    super(
      `Invalid configuration for stack ${stack}:\n${lines.join('\n')}\n` +
        `Nothing was created. Fix these in Pulumi.${stack}.yaml (or with pulumi config) and run again.`,
    );
  }
}

const KEY_OF_FIELD: Record<string, string> = {
  project: 'gcp:project',
  region: 'gcp:region',
  stack: 'stack name',
};

/** Keys of the namespace the program reads: the schema's fields and the secrets. */
const knownKeys = (): string[] => [
  ...Object.keys(stackConfigSchema.shape).filter((field) => !(field in KEY_OF_FIELD)),
  ...Object.keys(SECRET_KEYS),
  ...RECEIVER_SECRET_KEYS,
];

/** Every secret key the program or a provider reads, with the service variable it becomes. */
const SECRET_SETTINGS: SecretSetting[] = [
  ...Object.entries(SECRET_KEYS).map(([key, { env, generated }]) => ({
    key: `${NAMESPACE}:${key}`,
    env,
    generated,
  })),
  ...RECEIVER_SECRET_KEYS.map((key) => ({ key: `${NAMESPACE}:${key}` })),
  { key: 'pagerduty:token' },
];

// `isConfigSecret` is exported by the SDK's runtime but left out of its typings. It reads the
// keys the language host marks as secret (PULUMI_CONFIG_SECRET_KEYS), as `setAllConfig` does
// under mocks, which is the only way to tell a value set with `--secret` from a plain one.
const isConfigSecret = (key: string): boolean =>
  (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret(key);

const readConfig = (key: string) => {
  const value = pulumi.runtime.getConfig(key);
  return value === undefined ? undefined : { value, secret: isConfigSecret(key) };
};

/** One problem per zod issue, named by its config key, with a fix where one can be given. */
function schemaProblems(issues: readonly z.core.$ZodIssue[], raw: Record<string, unknown>) {
  return issues.map((issue): ConfigProblem => {
    const [field, ...rest] = issue.path.map(String);
    const key = KEY_OF_FIELD[field ?? ''] ?? `${NAMESPACE}:${field}`;
    if (field === undefined && issue.code === 'unrecognized_keys') {
      // A field of the loader's own object: cannot come from the stack file.
      return { key: 'stack configuration', reason: issue.message };
    }
    const where = rest.length > 0 ? `${key} → ${rest.join('.')}` : key;
    if (field !== undefined && rest.length === 0 && raw[field] === undefined) {
      return { key: where, reason: `required (pulumi config set ${key} ...)` };
    }
    if (issue.code === 'unrecognized_keys') {
      const fields = fieldsAt(stackConfigSchema, issue.path);
      return { key: where, reason: unrecognizedFieldsReason(issue.keys, fields) };
    }
    return { key: where, reason: issue.message };
  });
}

/**
 * Reads every `pulumi.Config` value of the program (this is the only place that does) and
 * validates it before anything is created: unknown keys of the namespace, bad or missing values,
 * secrets in plain text and secrets the services would refuse. Throws one
 * {@link StackConfigError} listing every problem with its key, the reason and the fix.
 */
export function loadStackConfig(): LoadedConfig {
  const gcp = new pulumi.Config('gcp');
  const aia = new pulumi.Config(NAMESPACE);
  const raw: Record<string, unknown> = {
    stack: pulumi.getStack(),
    project: gcp.get('project'),
    region: gcp.get('region') ?? 'us-central1',
    zones: aia.getObject<unknown>('zones'),
    domain: aia.get('domain'),
    grafanaDomain: aia.get('grafanaDomain'),
    grafanaAccess: aia.getObject<unknown>('grafanaAccess'),
    dnsZone: aia.get('dnsZone'),
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
  const problems = [
    ...unknownKeyProblems(pulumi.runtime.allConfig(), NAMESPACE, knownKeys()),
    ...(result.success ? [] : schemaProblems(result.error.issues, raw)),
    ...secretProblems(SECRET_SETTINGS, readConfig),
  ];
  if (!result.success || problems.length > 0) {
    throw new StackConfigError(pulumi.getStack(), problems);
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
