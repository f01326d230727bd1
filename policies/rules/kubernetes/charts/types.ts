/** A Helm release of the stack, as its inputs name it. */
export interface ChartRelease {
  readonly name: string;
  readonly namespace: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A custom resource of the stack, for the objects an operator makes from it. */
export interface StackCustomResource {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Readonly<Record<string, unknown>>;
}

/** A Pod or Service a chart renders or its operator creates, with the labels it carries. */
export interface DeclaredObject {
  readonly kind: 'Pod' | 'Service';
  /** What it is, for messages: `Strimzi broker pods of aia`. */
  readonly what: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Where a chart's CRDs come from. `none`: it ships none. `templates`: rendered as ordinary
 * templates, so Helm upgrades them with the release. `crds-directory`: in `crds/`, which Helm
 * installs once and never upgrades, so the stack applies them itself and the release skips them.
 */
export type ChartCrds =
  | { readonly shipped: 'none' | 'templates' }
  | {
      readonly shipped: 'crds-directory';
      /** The CRDs the chart's `crds/` holds, by name. */
      readonly names: readonly string[];
      /** The operator release those CRDs belong to: `Strimzi 1.2.0`. */
      readonly operator: string;
      /**
       * The release's published CRD manifest, by URL: what the stack applies (`ChartCrds`, a
       * `yaml/v2` ConfigFile) instead of letting Helm install `crds/` once.
       */
      readonly manifest: string;
      /**
       * `group/version` → kinds the release's CRDs serve there, read from that release (hand-
       * written facts, not a copy): what the pinned operator accepts.
       */
      readonly served: Readonly<Record<string, readonly string[]>>;
    };

/**
 * What a pinned chart version puts in the cluster that selectors and custom resources rely on,
 * read from the chart's (and its operator's) source at that version.
 */
export interface PinnedChart {
  /** Where the facts were read, so the next bump knows where to look again. */
  readonly source: string;
  readonly crds: ChartCrds;
  /** The Pods and Services the release renders, and those its operator makes from `resources`. */
  readonly objects: (
    release: ChartRelease,
    resources: readonly StackCustomResource[],
  ) => DeclaredObject[];
}

/** `values.a.b` of untyped Helm values, or `undefined`. */
export function valueAt(values: Readonly<Record<string, unknown>>, ...path: string[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A string-to-string map of untyped values, `{}` for anything else. */
export const labelMap = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      )
    : {};
