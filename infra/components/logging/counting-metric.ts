import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

/** A log-based metric that counts the lines its filter matches. */
export interface CountingMetricSpec {
  readonly name: string;
  readonly description: string;
  readonly filter: pulumi.Input<string>;
}

/** Creates the metric (one point per matching line, DELTA INT64), named `spec.name` in `project`. */
export const countingLogMetric = (
  resourceName: string,
  project: pulumi.Input<string>,
  spec: CountingMetricSpec,
  opts: pulumi.CustomResourceOptions,
): gcp.logging.Metric =>
  new gcp.logging.Metric(
    resourceName,
    {
      project,
      name: spec.name,
      description: spec.description,
      filter: spec.filter,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
    },
    opts,
  );
