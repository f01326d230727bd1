/**
 * The image repositories each pinned chart runs with this program's values, keyed like the
 * policy pack's chart table (`<chart>@<version>`), read from the chart's `values.yaml` at that
 * version (and the operator's defaults for the pods it creates). Repositories, not tags: a chart
 * bump moves its tags, and Binary Authorization matches `<repository>:*` for each. A chart bump
 * finds no entry here and fails the program until someone has read the new version's images.
 */
export const CHART_IMAGES: Readonly<Record<string, readonly string[]>> = {
  'kube-prometheus-stack@88.5.3': [
    'quay.io/prometheus-operator/prometheus-operator',
    'quay.io/prometheus-operator/prometheus-config-reloader',
    'quay.io/prometheus/prometheus',
    'quay.io/prometheus/alertmanager',
    'quay.io/prometheus/node-exporter',
    'registry.k8s.io/kube-state-metrics/kube-state-metrics',
    // The operator's admission webhook certificate Jobs.
    'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
    'docker.io/grafana/grafana',
    // Grafana's dashboard and datasource sidecar.
    'quay.io/kiwigrid/k8s-sidecar',
  ],
  // The operator, and the brokers and entity operator it creates from the Kafka resource.
  'strimzi-kafka-operator@1.2.0': ['quay.io/strimzi/operator', 'quay.io/strimzi/kafka'],
  'opentelemetry-collector@0.170.0': ['docker.io/otel/opentelemetry-collector-contrib'],
  'jaeger@4.11.1': ['docker.io/jaegertracing/jaeger'],
  'neo4j@5.26.21': ['docker.io/library/neo4j'],
};

/** `<chart>@<version>` of a chart reference, an OCI one by its last path segment. */
export const chartKey = (chart: { readonly chart: string; readonly version: string }) =>
  `${chart.chart.slice(chart.chart.lastIndexOf('/') + 1)}@${chart.version}`;

/** The repositories of the charts a stack installs; throws naming a chart the table lacks. */
export function chartImages(
  charts: readonly { readonly chart: string; readonly version: string }[],
): string[] {
  return charts.flatMap((chart) => {
    const images = CHART_IMAGES[chartKey(chart)];
    if (!images) {
      throw new Error(
        `No image list for chart ${chartKey(chart)}: read its values.yaml at that version and add its image repositories to CHART_IMAGES (components/binary-authorization/chart-images.ts), or Binary Authorization will refuse its pods.`,
      );
    }
    return [...images];
  });
}
