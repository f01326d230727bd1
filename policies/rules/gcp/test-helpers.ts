import type { ResourceValidationPolicy } from '@pulumi/policy';
import type { PlannedResource, Violation } from '../../../tools/policy-check/run-policies.js';

/**
 * A copy of `resource` with the input at a dotted `path` replaced (`undefined` removes it),
 * e.g. `withInput(sqlPrimary(), 'settings.ipConfiguration.ipv4Enabled', true)`.
 */
export function withInput(
  resource: PlannedResource,
  path: string,
  value: unknown,
): PlannedResource {
  const inputs = structuredClone(resource.inputs);
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target: Record<string, unknown> = inputs;
  for (const key of keys) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  if (value === undefined) delete target[last];
  else target[last] = value;
  return { ...resource, inputs };
}

/** The violation `policy` reports on `resource` at its default level. */
export const violation = (
  policy: ResourceValidationPolicy,
  resource: PlannedResource,
  message: string,
): Violation => ({
  policy: policy.name,
  enforcementLevel: 'mandatory',
  urn: resource.urn,
  message,
});
