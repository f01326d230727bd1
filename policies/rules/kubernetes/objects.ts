import type { PolicyResource } from '@pulumi/policy';
import type { Resource, Unwrap } from '@pulumi/pulumi';

/** The `metadata` fields the rules read; every one may be absent from planned inputs. */
export interface Metadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

/** A Kubernetes object's kind from its Pulumi type: `kubernetes:apps/v1:Deployment` → `Deployment`. */
export const kindOf = (type: string): string => type.slice(type.lastIndexOf(':') + 1);

/**
 * The object's name as Kubernetes will see it: `metadata.name`, else the Pulumi resource name
 * (an auto-named object gets a random suffix the plan cannot know; the resource name is the best
 * stable handle for a message).
 */
export const nameOf = (metadata: Metadata | undefined, resourceName: string): string =>
  metadata?.name ?? resourceName;

/** An object without `metadata.namespace` lands in the provider's namespace: `default` here. */
export const namespaceOf = (metadata: Metadata | undefined): string =>
  metadata?.namespace ?? 'default';

/** `Deployment apps/economic-governor`: how every message names a namespaced object. */
export const describe = (kind: string, metadata: Metadata | undefined, resourceName: string) =>
  `${kind} ${namespaceOf(metadata)}/${nameOf(metadata, resourceName)}`;

type ResourceClass = abstract new (name: string, args: never, ...rest: never[]) => Resource;
type ArgsOf<C> = C extends abstract new (
  name: string,
  args: infer A,
  ...rest: never[]
) => Resource
  ? Unwrap<NonNullable<A>>
  : never;

/** One object of a stack, with its inputs typed from the @pulumi/kubernetes class that made it. */
export interface StackObject<Props> {
  readonly urn: string;
  readonly name: string;
  readonly props: Props;
}

/** The stack's resources made by any of `classes`, typed by the first one's arguments. */
export function objectsOf<C extends ResourceClass>(
  resources: readonly PolicyResource[],
  ...classes: readonly [C, ...ResourceClass[]]
): StackObject<ArgsOf<C>>[] {
  return resources
    .filter((resource) =>
      classes.some((cls) => resource.isType(cls as unknown as new () => Resource)),
    )
    .map(({ urn, name, props }) => ({ urn, name, props: props as ArgsOf<C> }));
}
