import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { type CrdManifest, chartCrds, chartName } from './manifests.js';

/** Annotations that name the chart release a CRD was vendored from (read by the policy pack). */
export const CRD_SOURCE_ANNOTATIONS = {
  chart: 'aia-platform.dev/crds-of-chart',
  version: 'aia-platform.dev/crds-of-version',
} as const;

/**
 * The inputs of one vendored CRD as this program applies it: the release's definition
 * unchanged, plus our labels, the chart it came from, and `pulumi.com/patchForce`, so the first
 * `up` on a cluster where Helm installed the CRDs takes their fields over from Helm's field
 * manager instead of failing on a server-side apply conflict.
 */
export function crdInputs(
  crd: CrdManifest,
  chart: { readonly chart: string; readonly version: string },
  labels: Readonly<Record<string, string>>,
) {
  return {
    ...crd,
    metadata: {
      ...crd.metadata,
      labels: { ...crd.metadata.labels, ...labels },
      annotations: {
        ...crd.metadata.annotations,
        [CRD_SOURCE_ANNOTATIONS.chart]: chartName(chart.chart),
        [CRD_SOURCE_ANNOTATIONS.version]: chart.version,
        'pulumi.com/patchForce': 'true',
      },
    },
  };
}

export interface ChartCrdsArgs {
  /** The chart, as its Helm release pins it; its CRDs must be vendored at that version. */
  readonly chart: { readonly chart: string; readonly version: string };
  /** Labels added to every CRD. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The CRDs of a pinned chart, applied by Pulumi from the release's own manifests (the chart's
 * Helm release sets `skipCrds`): an upgrade of the chart upgrades its CRDs in the same `up`,
 * before the release. They are kept when the stack or this component goes away
 * (`retainOnDelete`): deleting a CRD deletes every object of its kinds in the cluster.
 */
export class ChartCrds extends pulumi.ComponentResource {
  /** One per CRD; make the Helm release and every custom resource depend on them. */
  readonly definitions: k8s.apiextensions.v1.CustomResourceDefinition[];

  constructor(name: string, args: ChartCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Read before anything registers, so a chart bump without its CRDs stops here, saying why.
    const crds = chartCrds(args.chart.chart, args.chart.version);
    super('aia:platform:ChartCrds', name, {}, opts);
    this.definitions = crds.map(
      (crd) =>
        new k8s.apiextensions.v1.CustomResourceDefinition(
          `${name}-${crd.metadata.name}`,
          // The release's schema is plain JSON; Pulumi's typed args describe the same object.
          crdInputs(
            crd,
            args.chart,
            args.labels,
          ) as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs,
          { parent: this, retainOnDelete: true },
        ),
    );
    this.registerOutputs({});
  }
}
