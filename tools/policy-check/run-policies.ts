import type {
  EnforcementLevel,
  Policy,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';

/** A resource as a plan file holds it: inputs unwrapped (as the engine hands them to policies). */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string | null;
  readonly inputs: Record<string, unknown>;
}

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
}

/**
 * Policy pack configuration as `pulumi preview --policy-pack-config <file>` reads it: per policy,
 * an enforcement level or `{ enforcementLevel, ...config }`; `all` sets a default level.
 */
export type PackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

function levelOf(
  policy: Policy,
  config: PackConfig,
  packDefault: EnforcementLevel,
): EnforcementLevel {
  const entry = config[policy.name];
  const fromEntry = typeof entry === 'string' ? entry : entry?.enforcementLevel;
  const all = config.all;
  const fromAll = typeof all === 'string' ? all : all?.enforcementLevel;
  return fromEntry ?? fromAll ?? policy.enforcementLevel ?? packDefault;
}

function configOf(policy: Policy, config: PackConfig): Record<string, unknown> {
  const entry = config[policy.name];
  if (typeof entry !== 'object' || entry === null) return {};
  const { enforcementLevel: _level, ...rest } = entry;
  return rest;
}

const isTypeOf = (type: string) => (resourceClass: unknown) =>
  (resourceClass as { __pulumiType?: string })?.__pulumiType === type;

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: {},
  additionalSecretOutputs: [],
};

/**
 * Planned resources as the engine hands them to policies: `props` are the inputs, `isType` and
 * `asType` answer by type token, `parent` links to the parent's resource.
 */
export function asPolicyResources(resources: readonly PlannedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const policyResources = resources.map((resource) => {
    const policyResource = {
      type: resource.type,
      props: resource.inputs,
      urn: resource.urn,
      name: resource.name,
      opts: OPTIONS,
      isType: isTypeOf(resource.type),
      asType: (cls: unknown) => (isTypeOf(resource.type)(cls) ? resource.inputs : undefined),
    } as unknown as PolicyResource;
    byUrn.set(resource.urn, policyResource);
    return policyResource;
  });
  for (const [i, resource] of resources.entries()) {
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    if (parent) (policyResources[i] as { parent?: PolicyResource }).parent = parent;
  }
  return policyResources;
}

/**
 * Runs resource and stack policies over planned resources the way the Pulumi engine does during
 * a preview: each resource policy sees every resource (typed validators skip other types via
 * `notApplicable`), each stack policy sees them all. Disabled policies do not run.
 */
export async function runPolicies({
  resources,
  policies,
  config = {},
  packDefault = 'advisory',
}: {
  resources: readonly PlannedResource[];
  policies: readonly AnyPolicy[];
  config?: PackConfig;
  packDefault?: EnforcementLevel;
}): Promise<Violation[]> {
  const violations: Violation[] = [];
  const policyResources = asPolicyResources(resources);

  for (const policy of policies) {
    const enforcementLevel = levelOf(policy, config, packDefault);
    if (enforcementLevel === 'disabled') continue;
    const getConfig = <T extends object>() => configOf(policy, config) as T;
    if ('validateResource' in policy && policy.validateResource) {
      const validations = [policy.validateResource].flat();
      for (const resource of policyResources) {
        const report: ReportViolation = (message, urn) =>
          violations.push({
            policy: policy.name,
            enforcementLevel,
            urn: urn ?? resource.urn,
            message,
          });
        const args = {
          ...resource,
          stackTags: new Map(),
          getConfig,
          notApplicable,
        } as unknown as ResourceValidationArgs;
        for (const validate of validations) {
          try {
            await validate(args, report);
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    }
    if ('validateStack' in policy && policy.validateStack) {
      const report: ReportViolation = (message, urn) =>
        violations.push({ policy: policy.name, enforcementLevel, urn: urn ?? '', message });
      const args = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig,
        notApplicable,
      } as StackValidationArgs;
      try {
        await policy.validateStack(args, report);
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    }
  }
  return violations;
}
