import { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { fieldIssuesFromZod } from './zod-issues.js';

/** Every environment variable a service reads is a string; this is the shape schemas parse. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const secretRegistry = z.registry<{ secret: true }>();

/** Marks a config field as a secret: never logged, never echoed in errors, delivered as a Secret. */
export function secret<T extends z.ZodType>(schema: T): T {
  (schema as z.ZodType).register(secretRegistry, { secret: true });
  return schema;
}

/** Names of the fields of an object schema that are marked with {@link secret}. */
export function secretKeysOf(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecretSchema(field as z.ZodType))
    .map(([key]) => key);
}

function isSecretSchema(schema: z.ZodType): boolean {
  if (secretRegistry.has(schema)) return true;
  const inner = (schema.def as { innerType?: z.ZodType }).innerType;
  return inner ? isSecretSchema(inner) : false;
}

/** Raised when the environment does not satisfy a service's schema; lists every problem at once. */
export class ConfigError extends Error {
  readonly issues: readonly FieldIssue[];
  constructor(
    readonly service: string,
    issues: readonly FieldIssue[],
  ) {
    const lines = issues.map((issue) => `  - ${issue.field}: ${issue.reason}`);
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid configuration for ${service} (${count}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Parses `env` with `schema`. On failure throws one {@link ConfigError} naming every missing or
 * bad variable and what it expects; non-secret values are quoted back, secret values never are.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: EnvSource = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const secrets = schema instanceof z.ZodObject ? new Set(secretKeysOf(schema)) : new Set<string>();
  const issues = fieldIssuesFromZod(result.error, '(environment)').map((issue) => {
    const received = env[issue.field];
    if (received === undefined || secrets.has(issue.field)) return issue;
    return { field: issue.field, reason: `${issue.reason}, received '${received}'` };
  });
  throw new ConfigError(service, issues);
}
