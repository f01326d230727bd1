import type { PolicyPackConfig } from '@pulumi/policy';
import { allPolicies } from '../../policies/rules/index.js';
import type {
  PackConfig,
  PlannedResource,
  Violation,
} from '../../tools/policy-check/run-policies.js';
import { runPolicies } from '../../tools/policy-check/run-policies.js';

type AnyPolicy = Parameters<typeof runPolicies>[0]['policies'][number];

/** A planned resource for a rule test: `urn:pulumi:<stack>::aia-platform::<type>::<name>`. */
export function planned(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  { stack = 'production', parent }: { stack?: string; parent?: string } = {},
): PlannedResource {
  return { urn: `urn:pulumi:${stack}::aia-platform::${type}::${name}`, type, name, parent, inputs };
}

/** Runs `policies` over `resources` (every policy at its default level unless `config` says). */
export function violationsOf(
  policies: readonly AnyPolicy[],
  resources: readonly PlannedResource[],
  config: PackConfig | PolicyPackConfig = {},
): Promise<Violation[]> {
  return runPolicies({ resources, policies, config: config as PackConfig });
}

/** Only the messages, for compact assertions. */
export const messagesOf = (violations: readonly Violation[]) => violations.map((v) => v.message);

/** Recorded mock resources (see `pulumi-mock-stack.ts`) as planned resources, inputs unwrapped. */
export function plannedFromRecorded(
  recorded: readonly { type: string; name: string; plain: Record<string, unknown> }[],
  stack = 'production',
): PlannedResource[] {
  return recorded.map(({ type, name, plain }) => planned(type, name, plain, { stack }));
}

/** The whole pack over `resources`, every policy mandatory: a component's self-check. */
export function packViolations(resources: readonly PlannedResource[]): Promise<Violation[]> {
  return runPolicies({ resources, policies: allPolicies, config: { all: 'mandatory' } });
}
