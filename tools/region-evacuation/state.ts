/**
 * The parts of `pulumi stack export`'s checkpoint (version 3) the evacuation reads and edits.
 * Everything else in a resource (outputs with their secret ciphertext, `protect`, aliases, …)
 * is carried over as it was.
 */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly parent?: string;
  /** `<provider URN>::<provider ID>`. */
  readonly provider?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly deletedWith?: string;
  readonly [other: string]: unknown;
}

export interface StackExport {
  readonly version: number;
  readonly deployment: {
    readonly resources?: readonly StateResource[];
    readonly pending_operations?: readonly unknown[];
    readonly [other: string]: unknown;
  };
}

/** The URN part of a provider reference (`<urn>::<id>`). */
export const providerUrn = (reference: string): string =>
  reference.slice(0, reference.lastIndexOf('::'));

/** The resource's name: the last part of its URN. */
export const urnName = (urn: string): string => urn.slice(urn.lastIndexOf('::') + 2);

/** Reads an export's JSON, refusing what is not a version-3 checkpoint with resources. */
export function parseStackExport(text: string): StackExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`--state: not JSON (${(error as Error).message})`);
  }
  const candidate = parsed as Partial<StackExport> | null;
  if (candidate?.version !== 3 || !Array.isArray(candidate.deployment?.resources)) {
    throw new Error(
      '--state: not the output of `pulumi stack export` (expected version 3 with deployment.resources)',
    );
  }
  return candidate as StackExport;
}
