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

/** The stack's `gcp:*` configuration, which the default Google provider's state holds. */
export interface GoogleConfig {
  readonly project: string;
  readonly region: string;
}

/**
 * The state a `pulumi up` of an offline plan would leave, as `pulumi stack export` writes it:
 * the stack's root resource, the default providers the engine registers (the Google one with the
 * stack's `gcp:project` and `gcp:region` as its inputs), then every resource with its inputs as
 * its outputs, the mocks' `<name>-id` ID and its provider: the stack's Kubernetes provider, or
 * its package's default one. Dependencies are left out (the mocks do not see them): the names
 * and IDs in the inputs still tie a database to its instance, as they do in a real state.
 */
export function stateOfPlan(
  stack: string,
  resources: readonly PlannedResource[],
  google: GoogleConfig,
): StackExport {
  const root = `urn:pulumi:${stack}::aia-platform::pulumi:pulumi:Stack::aia-platform-${stack}`;
  const kubernetes = resources.find((resource) => resource.type === 'pulumi:providers:kubernetes');
  const packages = [
    ...new Set(
      resources
        .map((resource) => resource.type.split(':')[0] as string)
        .filter((pkg) => !['aia', 'kubernetes', 'pulumi'].includes(pkg)),
    ),
  ];
  const defaults = new Map(
    packages.map((pkg) => [
      pkg,
      `urn:pulumi:${stack}::aia-platform::pulumi:providers:${pkg}::default`,
    ]),
  );
  const providerOf = (type: string): string | undefined => {
    const pkg = type.split(':')[0] as string;
    if (pkg === 'kubernetes') return kubernetes && `${kubernetes.urn}::${kubernetes.name}-id`;
    const urn = defaults.get(pkg);
    return urn && `${urn}::default-id`;
  };
  const state: StateResource[] = [
    { urn: root, type: 'pulumi:pulumi:Stack', custom: false },
    ...[...defaults].map(([pkg, urn]) => ({
      urn,
      type: `pulumi:providers:${pkg}`,
      custom: true,
      id: 'default-id',
      inputs: pkg === 'gcp' ? { ...google, version: '9.0.0' } : { version: '1.0.0' },
      outputs: pkg === 'gcp' ? { ...google, version: '9.0.0' } : { version: '1.0.0' },
    })),
    ...resources.map((resource) => {
      const custom = !isComponent(resource.type);
      const provider =
        custom && !resource.type.startsWith('pulumi:') ? providerOf(resource.type) : undefined;
      return {
        urn: resource.urn,
        type: resource.type,
        custom,
        ...(custom ? { id: `${resource.name}-id` } : {}),
        parent: resource.parent ?? root,
        ...(provider ? { provider } : {}),
        inputs: resource.inputs,
        outputs: resource.inputs,
      };
    }),
  ];
  return { version: 3, deployment: { manifest: {}, resources: state, pending_operations: [] } };
}
