import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The fields of a CustomResourceDefinition this program reads; the rest passes through as is. */
export interface CrdManifest {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: {
    readonly name: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly CrdVersion[];
    readonly [field: string]: unknown;
  };
}

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly schema?: { readonly openAPIV3Schema?: Record<string, unknown> };
}

/**
 * The charts whose CRDs this program applies itself, by chart name: the version the vendored
 * manifest belongs to and its file under `manifests/`. Each file is the release's own CRDs,
 * unchanged (its header names the tag and commit), so a bump replaces the file and the diff is
 * what changes in the cluster. Helm installs a chart's `crds/` once and never upgrades them.
 */
export const CRD_MANIFESTS: Readonly<
  Record<string, { readonly version: string; readonly file: string }>
> = {
  'strimzi-kafka-operator': { version: '1.2.0', file: 'strimzi-kafka-operator-1.2.0.yaml' },
  'kube-prometheus-stack': { version: '88.5.3', file: 'kube-prometheus-stack-88.5.3.yaml' },
};

const MANIFEST_DIR = join(import.meta.dirname, 'manifests');

/** `oci://quay.io/strimzi-helm/strimzi-kafka-operator` → `strimzi-kafka-operator`. */
export const chartName = (chart: string): string => chart.slice(chart.lastIndexOf('/') + 1);

const cache = new Map<string, CrdManifest[]>();

/**
 * The CRDs of `chart` at `version`, parsed from the vendored manifest. Throws, saying what to do,
 * when the chart has none vendored or they belong to another version: a chart bump without its
 * CRDs would run a new operator against old CRDs.
 */
export function chartCrds(chart: string, version: string): CrdManifest[] {
  const name = chartName(chart);
  const vendored = CRD_MANIFESTS[name];
  if (!vendored) {
    throw new Error(
      `chart ${name} has no vendored CRDs: add its release's CRDs under infra/components/crds/manifests and to CRD_MANIFESTS`,
    );
  }
  if (vendored.version !== version) {
    throw new Error(
      `chart ${name} is pinned to ${version} but its vendored CRDs are of ${vendored.version}: replace manifests/${vendored.file} with the CRDs of ${version} (docs/crds.md)`,
    );
  }
  const cached = cache.get(vendored.file);
  if (cached) return cached;
  const text = readFileSync(join(MANIFEST_DIR, vendored.file), 'utf8');
  const crds = parseAllDocuments(text)
    .map((document) => document.toJS() as CrdManifest | null)
    .filter((document): document is CrdManifest => document?.kind === 'CustomResourceDefinition');
  cache.set(vendored.file, crds);
  return crds;
}

/** `group/version` → kinds served there, over `crds`: what an operator with these CRDs accepts. */
export function servedApis(crds: readonly CrdManifest[]): Map<string, Set<string>> {
  const served = new Map<string, Set<string>>();
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const apiVersion = `${crd.spec.group}/${version.name}`;
      const kinds = served.get(apiVersion) ?? new Set<string>();
      kinds.add(crd.spec.names.kind);
      served.set(apiVersion, kinds);
    }
  }
  return served;
}
