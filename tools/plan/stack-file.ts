import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, YAMLError } from 'yaml';
import { secretPlaceholder } from './placeholders.js';

export interface StackFileConfig {
  /** `namespace:key` → value as Pulumi passes it to a program (objects and arrays as JSON). */
  readonly config: Record<string, string>;
  /** Keys whose values were `secure:` and were replaced with placeholders. */
  readonly secretKeys: string[];
}

type ProjectConfig = Record<string, { default?: unknown } | unknown>;

/**
 * A stack file the Pulumi CLI would refuse too: missing, not YAML, or keys it cannot read. Plan
 * reports it as a configuration error (exit 2), with the file, the line and what to change.
 */
export class StackFileError extends Error {
  override readonly name = 'StackFileError';
}

/** The file's YAML, or a {@link StackFileError} saying where and why it is not valid YAML. */
function parseYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof YAMLError)) throw error;
    throw new StackFileError(
      `${file} is not valid YAML: ${error.message.trim()}\n` +
        'Correct the file at that line (pulumi config set writes valid YAML), then run again.',
    );
  }
}

/** The `config:` mapping, or a {@link StackFileError} naming what is wrong with it. */
function configOf(file: string, document: unknown): Record<string, unknown> {
  if (document === null || document === undefined) return {};
  const config = (document as { config?: unknown }).config;
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new StackFileError(
      `${file}: config must be a mapping of keys such as aia-platform:imageTag to values`,
    );
  }
  const unqualified = Object.keys(config).filter((key) => !/^[^:\s]+:[^:\s]+$/.test(key));
  if (unqualified.length > 0) {
    throw new StackFileError(
      `${file}: ${unqualified.map((key) => `"${key}"`).join(', ')} ${unqualified.length === 1 ? 'is not a configuration key' : 'are not configuration keys'}: ` +
        'keys are <namespace>:<name>, such as aia-platform:imageTag (pulumi config set adds the namespace)',
    );
  }
  return config as Record<string, unknown>;
}

/**
 * Reads `Pulumi.<stack>.yaml` (and the project defaults of `Pulumi.yaml`) the way the Pulumi CLI
 * hands them to a program. `secure:` values cannot be decrypted offline: they become placeholders
 * and their keys are reported as secret, so the program treats them as it would for real.
 * `file` replaces `Pulumi.<stack>.yaml` (a configuration to try before committing it).
 */
export function readStackConfig(
  root: string,
  stack: string,
  file = join(root, `Pulumi.${stack}.yaml`),
): StackFileConfig {
  if (!existsSync(file)) {
    throw new StackFileError(
      `no stack file ${file}: known stacks are the Pulumi.<stack>.yaml files in ${root}`,
    );
  }
  const project = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as {
    config?: ProjectConfig;
  };
  const stackFile = { config: configOf(file, parseYaml(file)) };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, declared] of Object.entries(project.config ?? {})) {
    const value = (declared as { default?: unknown } | null)?.default;
    if (value !== undefined) config[key] = serialise(value);
  }
  for (const [key, value] of Object.entries(stackFile.config ?? {})) {
    if (isSecure(value)) {
      config[key] = secretPlaceholder(`config-${key.replace(':', '-')}`);
      secretKeys.push(key);
    } else {
      config[key] = serialise(value);
    }
  }
  return { config, secretKeys };
}

const isSecure = (value: unknown): value is { secure: string } =>
  typeof value === 'object' &&
  value !== null &&
  'secure' in value &&
  Object.keys(value).length === 1;

const serialise = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
