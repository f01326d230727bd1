import * as pulumi from '@pulumi/pulumi';
import { REDACTED } from './secrets.js';

/**
 * Resolves stack outputs leaf by leaf: plain objects are walked, each Output is awaited, and a
 * secret Output becomes `[secret]` (the engine keeps per-field secretness the same way).
 */
export async function resolveOutputs(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return REDACTED;
    return resolveOutputs(await new Promise((resolve) => value.apply(resolve)));
  }
  if (value instanceof Promise) return resolveOutputs(await value);
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (typeof value === 'object' && value !== null && !(value instanceof pulumi.Resource)) {
    const entries = await Promise.all(
      Object.entries(value).map(
        async ([key, inner]) => [key, await resolveOutputs(inner)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
  return value;
}
