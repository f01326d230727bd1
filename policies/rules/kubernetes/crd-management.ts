import type { StackValidationPolicy } from '@pulumi/policy';
import { CONFIG_FILE, CRD, customResourceType, stackReleases } from './stack-objects.js';

interface CrdProps {
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

/** The URLs of the CRD manifests the stack applies itself (`ChartCrds`: a `yaml/v2` ConfigFile). */
function appliedManifests(resources: readonly { type: string; props: Record<string, unknown> }[]) {
  return new Set(
    resources
      .filter((resource) => resource.type === CONFIG_FILE)
      .map(({ props }) => props.file)
      .filter((file): file is string => typeof file === 'string'),
  );
}

export const helmCrdsManaged: StackValidationPolicy = {
  name: 'k8s-helm-crds-managed',
  description:
    "A chart that ships CRDs in crds/ (installed once by Helm, never upgraded) has skipCrds set, and the stack applies that version's CRD manifest itself.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const applied = appliedManifests(resources);
    for (const { urn, key, chart, release, skipCrds } of stackReleases(resources)) {
      if (chart?.crds.shipped !== 'crds-directory') continue;
      const where = `Release ${release.namespace}/${release.name} (${key})`;
      if (!skipCrds) {
        report(
          `${where} lets Helm install the chart's CRDs, which Helm never upgrades: set skipCrds: true and apply the CRDs of the release with ChartCrds (infra/components/crds).`,
          urn,
        );
      }
      if (!applied.has(chart.crds.manifest)) {
        report(
          `${where} needs the CRDs of ${chart.crds.operator}, which the stack does not apply: apply ${chart.crds.manifest} with ChartCrds (infra/components/crds), before the release.`,
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
    const serve = (group: string, apiVersion: string, kind: string) => {
      groups.add(group);
      served.set(apiVersion, (served.get(apiVersion) ?? new Set()).add(kind));
    };
    // CRDs declared one by one in the stack.
    for (const { type, props } of resources) {
      if (type !== CRD) continue;
      const spec = (props as CrdProps).spec;
      if (!spec?.group || !spec.names?.kind) continue;
      for (const version of spec.versions ?? []) {
        if (!version.served || !version.name) continue;
        serve(spec.group, `${spec.group}/${version.name}`, spec.names.kind);
      }
    }
    // Release CRD manifests the stack applies: what they serve is in the table of pinned charts.
    const applied = appliedManifests(resources);
    const releases = stackReleases(resources);
    for (const { chart } of releases) {
      if (chart?.crds.shipped !== 'crds-directory' || !applied.has(chart.crds.manifest)) continue;
      for (const [apiVersion, kinds] of Object.entries(chart.crds.served)) {
        for (const kind of kinds) serve(apiVersion.split('/')[0] ?? '', apiVersion, kind);
      }
    }
    const crdGroups = new Set(
      releases.flatMap(({ chart }) =>
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
