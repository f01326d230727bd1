import type { z } from 'zod';
import { catalog, serviceNames } from '../services/catalog.js';

/** A secret config key as the program reads it, and the service variable it becomes (if any). */
export interface SecretSetting {
  /** Full key, `namespace:name`. */
  readonly key: string;
  /** The environment variable of the services it is delivered as. */
  readonly env?: string;
  /** Generated when unset, so removing it is a fix too. */
  readonly generated?: boolean;
}

/** What the program was given for one key: its value and whether it was set with `--secret`. */
export interface ConfigValue {
  readonly value: string;
  readonly secret: boolean;
}

export interface ConfigProblem {
  readonly key: string;
  readonly reason: string;
}

/** The field schemas that parse `env` in the services' env schemas, by service. */
function requirementsOf(env: string): [string, z.ZodType][] {
  return serviceNames.flatMap((name) => {
    const field = (catalog[name].env.shape as Record<string, z.ZodType | undefined>)[env];
    return field ? [[name, field] as [string, z.ZodType]] : [];
  });
}

/**
 * Secret keys set in plain text, and secrets the services would refuse at start-up. The
 * requirement (a length, say) comes from the services' own env schemas, so it is never restated
 * here; values are never echoed.
 */
export function secretProblems(
  settings: readonly SecretSetting[],
  read: (key: string) => ConfigValue | undefined,
): ConfigProblem[] {
  return settings.flatMap(({ key, env, generated }) => {
    const given = read(key);
    if (given === undefined) return [];
    const set = `pulumi config set --secret ${key} <value>`;
    const orGenerate = generated ? ` (or pulumi config rm ${key} to have one generated)` : '';
    const problems: ConfigProblem[] = [];
    if (!given.secret) {
      problems.push({
        key,
        reason: `is stored in plain text in the stack file; a secret must be encrypted: ${set}${orGenerate}`,
      });
    }
    const refusals = (env ? requirementsOf(env) : []).flatMap(([service, field]) => {
      const result = field.safeParse(given.value);
      return result.success ? [] : [{ service, reason: result.error.issues[0]?.message ?? '' }];
    });
    const first = refusals[0];
    if (first) {
      const services = refusals.map(({ service }) => service).join(', ');
      problems.push({
        key,
        reason: `${first.reason}, or ${services} ${refusals.length === 1 ? 'refuses' : 'refuse'} it as ${env} at start-up: ${set}${orGenerate}`,
      });
    }
    return problems;
  });
}
