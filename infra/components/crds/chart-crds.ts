import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { type ChartCrdRelease, chartCrdRelease } from './releases.js';

export interface ChartCrdsArgs {
  /** The chart, as its Helm release pins it; the table of pinned charts must list its CRDs. */
  readonly chart: { readonly chart: string; readonly version: string };
}

/**
 * The CRDs of a pinned chart, applied by Pulumi from the release's own published CRD manifest,
 * fetched by URL at deploy time (a `yaml/v2` ConfigFile; the chart's Helm release sets
 * `skipCrds`): an upgrade of the chart upgrades its CRDs in the same `up`, before the release.
 * They are kept when the stack or this component goes away (`retainOnDelete`): deleting a CRD
 * deletes every object of its kinds in the cluster.
 */
export class ChartCrds extends pulumi.ComponentResource {
  /** The release's CRDs; make the Helm release and every custom resource depend on it. */
  readonly manifest: k8s.yaml.v2.ConfigFile;
  /** The facts of the release: operator, manifest URL, served API versions. */
  readonly release: ChartCrdRelease;

  constructor(name: string, args: ChartCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Read before anything registers, so a chart bump without its CRDs stops here, saying why.
    const release = chartCrdRelease(args.chart.chart, args.chart.version);
    super('aia:platform:ChartCrds', name, {}, opts);
    this.release = release;
    this.manifest = new k8s.yaml.v2.ConfigFile(
      `${name}-manifest`,
      { file: release.manifest },
      { parent: this, retainOnDelete: true },
    );
    this.registerOutputs({});
  }
}
