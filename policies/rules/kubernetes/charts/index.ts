import { neo4j } from './data.js';
import { jaeger, kubePrometheusStack, openTelemetryCollector } from './monitoring.js';
import { strimziKafkaOperator } from './strimzi.js';
import type { PinnedChart } from './types.js';

export type * from './types.js';

/**
 * Every chart the stacks install, keyed `<chart>@<version>` (an OCI reference by its last path
 * segment). Keyed by version on purpose: a bump finds no entry and fails the policy pack until
 * someone has read the new version's templates for the labels and CRDs below.
 */
export const PINNED_CHARTS: Readonly<Record<string, PinnedChart>> = {
  'strimzi-kafka-operator@1.2.0': strimziKafkaOperator,
  'kube-prometheus-stack@88.5.3': kubePrometheusStack,
  'opentelemetry-collector@0.170.0': openTelemetryCollector,
  'jaeger@4.11.1': jaeger,
  'neo4j@5.26.21': neo4j,
};

/** The table's key of a release's chart: `oci://quay.io/strimzi-helm/x` at 1.0.0 → `x@1.0.0`. */
export const pinnedChartKey = (chart: string, version: string | undefined): string =>
  `${chart.slice(chart.lastIndexOf('/') + 1)}@${version ?? ''}`;
