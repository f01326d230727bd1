import type { StackValidationPolicy } from '@pulumi/policy';
import { CRD, customResourceType, stackReleases } from './stack-objects.js';

/** Annotation the program puts on a CRD it applies: the chart version it was vendored from. */
const CRDS_OF_VERSION = 'aia-platform.dev/crds-of-version';

interface CrdProps {
  readonly metadata?: { readonly name?: string; readonly annotations?: Record<string, string> };
  readonly spec?: {
    readonly group?: string;
    readonly names?: { readonly kind?: string };
    readonly versions?: readonly { readonly name?: string; readonly served?: boolean }[];
  };
}

export const pinnedChartsKnown: StackValidationPolicy = {
  name: 'k8s-helm-chart-known',
  description:
    'Every Helm release installs a chart version listed in the table of pinned charts (its labels and CRDs checked).',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    for (const { urn, key, chart, release } of stackReleases(resources)) {
      if (chart) continue;
      report(
        `Release ${release.namespace}/${release.name} installs ${key}, which is not in the table of pinned charts: read that version's templates (and its operator's source) for the labels it puts on Pods and Services and whether it ships CRDs, and add it to policies/rules/kubernetes/charts/.`,
        urn,
      );
    }
  },
};

export const helmCrdsManaged: StackValidationPolicy = {
  name: 'k8s-helm-crds-managed',
  description:
    "A chart that ships CRDs in crds/ (installed once by Helm, never upgraded) has skipCrds set, and the stack applies that version's CRDs itself.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const crds = new Map(
      resources
        .filter((resource) => resource.type === CRD)
        .map(({ props }) => {
          const metadata = (props as CrdProps).metadata;
          return [metadata?.name ?? '', metadata?.annotations?.[CRDS_OF_VERSION]] as const;
        }),
    );
    for (const { urn, key, chart, release, skipCrds } of stackReleases(resources)) {
      if (chart?.crds.shipped !== 'crds-directory') continue;
      const where = `Release ${release.namespace}/${release.name} (${key})`;
      if (!skipCrds) {
        report(
          `${where} lets Helm install the chart's CRDs, which Helm never upgrades: set skipCrds: true and apply the CRDs of the release with ChartCrds (infra/components/crds).`,
          urn,
        );
      }
      const version = key.slice(key.lastIndexOf('@') + 1);
      const missing = chart.crds.names.filter((name) => crds.get(name) !== version);
      if (missing.length > 0) {
        report(
          `${where} needs CRDs the stack does not apply at version ${version}: ${missing.join(', ')}. Vendor that release's CRDs in infra/components/crds/manifests and apply them with ChartCrds.`,
          urn,
        );
      }
    }
  },
};

export const customResourcesServed: StackValidationPolicy = {
  name: 'k8s-custom-resource-served',
  description:
    'Every custom resource uses an API version and kind that a CRD of the stack serves (the pinned operator accepts it).',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const served = new Map<string, Set<string>>();
    const groups = new Set<string>();
    for (const { type, props } of resources) {
      if (type !== CRD) continue;
      const spec = (props as CrdProps).spec;
      if (!spec?.group || !spec.names?.kind) continue;
      groups.add(spec.group);
      for (const version of spec.versions ?? []) {
        if (!version.served || !version.name) continue;
        const apiVersion = `${spec.group}/${version.name}`;
        served.set(apiVersion, (served.get(apiVersion) ?? new Set()).add(spec.names.kind));
      }
    }
    const crdGroups = new Set(
      stackReleases(resources).flatMap(({ chart }) =>
        chart?.crds.shipped === 'crds-directory'
          ? chart.crds.names.map((name) => name.slice(name.indexOf('.') + 1))
          : [],
      ),
    );
    for (const { urn, type, name } of resources) {
      const crType = customResourceType(type);
      // A group no CRD or chart of the stack defines comes with the cluster (GKE's own).
      if (!crType || (!groups.has(crType.group) && !crdGroups.has(crType.group))) continue;
      const apiVersion = `${crType.group}/${crType.version}`;
      if (served.get(apiVersion)?.has(crType.kind)) continue;
      const alternatives = [...served]
        .filter(([api, kinds]) => api.startsWith(`${crType.group}/`) && kinds.has(crType.kind))
        .map(([api]) => api);
      report(
        `${crType.kind} ${name} uses ${apiVersion}, which no CRD of the stack serves${alternatives.length ? `: rewrite it for ${alternatives.join(' or ')}` : ': apply the CRDs of the pinned chart that defines it'}.`,
        urn,
      );
    }
  },
};
