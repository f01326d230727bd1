import type * as pulumi from '@pulumi/pulumi';
import type { MockCallArgs, MockResourceArgs, Mocks } from '@pulumi/pulumi/runtime/index.js';
import { fakeResource } from './fake-outputs.js';
import { GET_USER, pagerdutyDirectory } from './pagerduty-directory.js';

/** One resource the program registered, as an offline plan reports it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent; the stack for top-level resources. */
  readonly parent: string | undefined;
  readonly custom: boolean;
  /** As the engine would receive them: secret-wrapped values still wrapped. */
  readonly inputs: Record<string, unknown>;
  /** The ID of the existing resource the engine would import (the `import` option); none usually. */
  readonly importId?: string;
}

interface Registration {
  readonly type: string;
  readonly name: string;
  /** The parent's registration, when the parent is not the stack. */
  readonly parent: Registration | undefined;
  readonly importId: string | undefined;
}

const keyOf = (type: string, name: string) => `${type}::${name}`;

/**
 * Pulumi mocks that record every resource with its inputs, plus a stack transformation that
 * records each resource's parent (mocks are not told it). URNs are built the way the engine builds
 * them: the parent's type chain, then the type, then the name. PagerDuty's user lookup knows
 * `pagerdutyUsers` (emails) and fails for anyone else.
 */
export function createRecorder(
  project: string,
  stack: string,
  { pagerdutyUsers = [] }: { readonly pagerdutyUsers?: Iterable<string> } = {},
) {
  const lookUpUser = pagerdutyDirectory(pagerdutyUsers);
  const inputs = new Map<string, { inputs: Record<string, unknown>; custom: boolean }>();
  const registrations = new Map<string, Registration>();
  const byResource = new WeakMap<pulumi.Resource, Registration>();

  const mocks: Mocks = {
    newResource(args: MockResourceArgs) {
      inputs.set(keyOf(args.type, args.name), { inputs: args.inputs, custom: args.custom ?? true });
      return fakeResource(args);
    },
    call({ token, inputs: callInputs }: MockCallArgs) {
      if (token === 'gcp:organizations/getProject:getProject') {
        return {
          ...callInputs,
          number: '123456789012',
          projectId: callInputs.projectId ?? project,
        };
      }
      if (token === GET_USER) return lookUpUser(callInputs);
      return callInputs;
    },
  };

  /** Register with `pulumi.runtime.registerStackTransformation` before the program is imported. */
  const transformation: pulumi.ResourceTransformation = (args) => {
    const parent = args.opts.parent ? byResource.get(args.opts.parent) : undefined;
    const importId = (args.opts as pulumi.CustomResourceOptions).import;
    const registration = { type: args.type, name: args.name, parent, importId };
    const key = keyOf(args.type, args.name);
    if (registrations.has(key)) {
      throw new Error(`two resources are named ${args.name} (${args.type}): names must be unique`);
    }
    registrations.set(key, registration);
    byResource.set(args.resource, registration);
    return undefined;
  };

  const urnOf = (registration: Registration): string => {
    const chain: string[] = [];
    for (let r: Registration | undefined = registration; r; r = r.parent) chain.unshift(r.type);
    return `urn:pulumi:${stack}::${project}::${chain.join('$')}::${registration.name}`;
  };

  /** Everything recorded so far, in registration order. */
  const resources = (): RecordedResource[] =>
    [...registrations.values()]
      .filter((registration) => inputs.has(keyOf(registration.type, registration.name)))
      .map((registration) => {
        const recorded = inputs.get(keyOf(registration.type, registration.name));
        return {
          urn: urnOf(registration),
          type: registration.type,
          name: registration.name,
          parent: registration.parent ? urnOf(registration.parent) : undefined,
          custom: recorded?.custom ?? true,
          inputs: recorded?.inputs ?? {},
          ...(registration.importId ? { importId: registration.importId } : {}),
        };
      });

  return { mocks, transformation, resources };
}
