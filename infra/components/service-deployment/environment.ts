import * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import { secretKeysOf } from '../../../services/platform/config.js';

/**
 * The values a deployment gives a service, checked against its env schema by the compiler:
 * every variable without a default must be present (a missing one is a type error).
 */
export type EnvInputs<Env extends z.ZodObject> = {
  [K in keyof z.input<Env>]: pulumi.Input<string> | undefined;
};

export interface RenderedEnvironment {
  /** Non-secret variables, for a ConfigMap. */
  readonly config: Record<string, pulumi.Input<string>>;
  /** Secret variables, for a Secret (each value a secret output). */
  readonly secrets: Record<string, pulumi.Output<string>>;
}

/** Raised when a deployment's environment does not satisfy the service's env schema. */
export class EnvContractError extends Error {
  override readonly name = 'EnvContractError';
}

/**
 * Splits a service's environment into ConfigMap and Secret data by the schema's secret marks,
 * and fails with one sentence per problem: a required variable without a value, an unknown
 * variable, a literal value the schema refuses, or a secret given as a plain string.
 */
export function renderEnvironment<Env extends z.ZodObject>(
  service: string,
  schema: Env,
  values: EnvInputs<Env>,
): RenderedEnvironment {
  const secretKeys = new Set(secretKeysOf(schema));
  const problems: string[] = [];
  const config: Record<string, pulumi.Input<string>> = {};
  const secrets: Record<string, pulumi.Output<string>> = {};
  // Every interface: the Service and the kubelet's probes reach a pod by its IP, never by its
  // loopback (the services' own default, for laptops).
  const given = { HOST: '0.0.0.0', ...values } as Record<string, pulumi.Input<string> | undefined>;
  for (const key of Object.keys(given).filter((k) => !(k in schema.shape))) {
    problems.push(`${key} is not in the env schema of ${service}`);
  }
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const value = given[key];
    if (value === undefined) {
      if (!field.safeParse(undefined).success)
        problems.push(`${key} is required by ${service} and has no value`);
      continue;
    }
    if (secretKeys.has(key)) {
      if (typeof value === 'string')
        problems.push(`${key} is a secret of ${service}: pass a secret output, not a string`);
      else secrets[key] = pulumi.secret(value);
      continue;
    }
    if (typeof value !== 'string') {
      // Known only once other resources exist (an address, say): checked then.
      config[key] = pulumi.output(value).apply((known) => {
        const late = field.safeParse(known);
        if (!late.success)
          throw new EnvContractError(
            `${key}='${known}' is refused by ${service}: ${late.error.issues[0]?.message}`,
          );
        return known;
      });
      continue;
    }
    const result = field.safeParse(value);
    if (!result.success)
      problems.push(
        `${key}='${value}' is refused by ${service}: ${result.error.issues[0]?.message}`,
      );
    else config[key] = value;
  }
  if (problems.length > 0) {
    throw new EnvContractError(
      `Environment of ${service} does not satisfy its catalog schema:\n  - ${problems.join('\n  - ')}`,
    );
  }
  return { config, secrets };
}
