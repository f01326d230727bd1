import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { secretPlaceholder } from './placeholders.js';

export interface StackFileConfig {
  /** `namespace:key` → value as Pulumi passes it to a program (objects and arrays as JSON). */
  readonly config: Record<string, string>;
  /** Keys whose values were `secure:` and were replaced with placeholders. */
  readonly secretKeys: string[];
}

type ProjectConfig = Record<string, { default?: unknown } | unknown>;

/**
 * Reads `Pulumi.<stack>.yaml` (and the project defaults of `Pulumi.yaml`) the way the Pulumi CLI
 * hands them to a program. `secure:` values cannot be decrypted offline: they become placeholders
 * and their keys are reported as secret, so the program treats them as it would for real.
 */
export function readStackConfig(root: string, stack: string): StackFileConfig {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new Error(
      `no stack file ${file}: known stacks are the Pulumi.<stack>.yaml files in ${root}`,
    );
  }
  const project = parse(readFileSync(join(root, 'Pulumi.yaml'), 'utf8')) as {
    config?: ProjectConfig;
  };
  const stackFile = (parse(readFileSync(file, 'utf8')) ?? {}) as {
    config?: Record<string, unknown>;
  };
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
