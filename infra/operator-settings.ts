import { type FeatureFlag, type ServiceName, serviceDefinition } from '../services/catalog.js';
import { secretKeysOf } from '../services/platform/config.js';

/** What a stack's operators set per service: the feature flags and per-service tunables. */
export interface OperatorSettings {
  readonly featureFlags: Readonly<Partial<Record<FeatureFlag, boolean>>>;
  readonly settings: Readonly<
    Partial<Record<ServiceName, Readonly<Record<string, string | number | boolean>>>>
  >;
}

/** Raised for a per-service setting the program cannot pass: the plan fails naming it. */
export class OperatorSettingError extends Error {
  override readonly name = 'OperatorSettingError';
}

/**
 * The variables `services.featureFlags` and `services.settings.<service>` add to one service's
 * environment (values as strings; the env schema checks them when the environment is rendered).
 * A flag goes only to the services that declare it. A setting must be a variable of the service's
 * schema, not a secret (secrets come from secret config), and not one the program sets itself
 * (`programSet`): each of those is an error naming the key and the reason.
 */
export function operatorVariables(
  name: ServiceName,
  operator: OperatorSettings,
  programSet: ReadonlySet<string>,
): Record<string, string> {
  const definition = serviceDefinition(name);
  const flags = definition.featureFlags.flatMap((flag) => {
    const value = operator.featureFlags[flag];
    return value === undefined ? [] : [[flag, String(value)] as const];
  });
  const shape = definition.env.shape as Record<string, unknown>;
  const secrets = new Set(secretKeysOf(definition.env));
  const problems: string[] = [];
  const settings = Object.entries(operator.settings[name] ?? {}).flatMap(([key, value]) => {
    const where = `services.settings.${name}.${key}`;
    if (!(key in shape)) problems.push(`${where}: not a variable of ${name}'s env schema`);
    else if (secrets.has(key)) problems.push(`${where}: a secret; set it in secret config`);
    else if (programSet.has(key) || key in Object.fromEntries(flags))
      problems.push(`${where}: set by the program (or services.featureFlags); not a tunable`);
    else return [[key, String(value)] as const];
    return [];
  });
  if (problems.length > 0) throw new OperatorSettingError(problems.join('; '));
  return Object.fromEntries([...flags, ...settings]);
}
