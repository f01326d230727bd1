import type { StackExport, StateResource } from '../state.js';

/** A resource of `npm run plan -- --json`'s file. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly inputs: Record<string, unknown>;
  readonly importId?: string;
}

const isComponent = (type: string) =>
  type.startsWith('aia:') || type === 'kubernetes:yaml/v2:ConfigFile';

/**
 * The state a `pulumi up` of an offline plan would leave, as `pulumi stack export` writes it:
 * the stack's root resource, then every resource with its inputs as its outputs and the mocks'
 * `<name>-id` ID; Kubernetes objects through the stack's Kubernetes provider. Dependencies are
 * left out (the mocks do not see them): the names and IDs in the inputs still tie a database
 * to its instance, as they do in a real state.
 */
export function stateOfPlan(stack: string, resources: readonly PlannedResource[]): StackExport {
  const root = `urn:pulumi:${stack}::aia-platform::pulumi:pulumi:Stack::aia-platform-${stack}`;
  const provider = resources.find((resource) => resource.type === 'pulumi:providers:kubernetes');
  const state: StateResource[] = [
    { urn: root, type: 'pulumi:pulumi:Stack', custom: false },
    ...resources.map((resource) => {
      const custom = !isComponent(resource.type);
      return {
        urn: resource.urn,
        type: resource.type,
        custom,
        ...(custom ? { id: `${resource.name}-id` } : {}),
        parent: resource.parent ?? root,
        ...(provider && resource.type.startsWith('kubernetes:') && custom
          ? { provider: `${provider.urn}::${provider.name}-id` }
          : {}),
        inputs: resource.inputs,
        outputs: resource.inputs,
      };
    }),
  ];
  return { version: 3, deployment: { manifest: {}, resources: state, pending_operations: [] } };
}
