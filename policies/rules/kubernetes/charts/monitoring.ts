import { type PinnedChart, valueAt } from './types.js';

/**
 * The CRDs prometheus-operator publishes with each release without their descriptions (a release
 * asset): small enough for any apply, the same schemas as the chart's.
 */
export const prometheusOperatorCrdsUrl = (operatorVersion: string): string =>
  `https://github.com/prometheus-operator/prometheus-operator/releases/download/v${operatorVersion}/stripped-down-crds.yaml`;

const KPS_CRDS = [
  'alertmanagerconfigs',
  'alertmanagers',
  'podmonitors',
  'probes',
  'prometheusagents',
  'prometheuses',
  'prometheusrules',
  'scrapeconfigs',
  'servicemonitors',
  'thanosrulers',
].map((plural) => `${plural}.monitoring.coreos.com`);

/**
 * kube-prometheus-stack 88.5.3: the operator's pods (`kube-prometheus-stack.prometheus-operator.labels`),
 * Grafana's (the grafana subchart's selector labels), and the Prometheus and Alertmanager pods the
 * operator makes. Its own Services are scraped by its own ServiceMonitors.
 */
export const kubePrometheusStack: PinnedChart = {
  source:
    'github.com/prometheus-community/helm-charts@kube-prometheus-stack-88.5.3: charts/kube-prometheus-stack/templates, charts/crds',
  crds: {
    shipped: 'crds-directory',
    names: KPS_CRDS,
    // The chart's charts/crds are prometheus-operator v0.93.1's (the chart's appVersion).
    operator: 'prometheus-operator v0.93.1',
    manifest: prometheusOperatorCrdsUrl('0.93.1'),
    // The CRDs without the conversion webhook: AlertmanagerConfig is served as v1alpha1 only.
    served: {
      'monitoring.coreos.com/v1': [
        'Alertmanager',
        'PodMonitor',
        'Probe',
        'Prometheus',
        'PrometheusRule',
        'ServiceMonitor',
        'ThanosRuler',
      ],
      'monitoring.coreos.com/v1alpha1': ['AlertmanagerConfig', 'PrometheusAgent', 'ScrapeConfig'],
    },
  },
  objects: ({ name: release, namespace, values }) => {
    const chart = 'kube-prometheus-stack';
    const pod = (what: string, labels: Record<string, string>) => ({
      kind: 'Pod' as const,
      what: `${what} pods of ${release}`,
      namespace,
      labels,
    });
    return [
      pod('Prometheus operator', {
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/instance': release,
        'app.kubernetes.io/part-of': chart,
        release,
        heritage: 'Helm',
        app: `${chart}-operator`,
        'app.kubernetes.io/name': `${chart}-prometheus-operator`,
        'app.kubernetes.io/component': 'prometheus-operator',
      }),
      pod('Grafana', {
        'app.kubernetes.io/name': 'grafana',
        'app.kubernetes.io/instance': release,
      }),
      pod('kube-state-metrics', {
        'app.kubernetes.io/name': 'kube-state-metrics',
        'app.kubernetes.io/instance': release,
      }),
      pod('Prometheus', {
        'app.kubernetes.io/name': 'prometheus',
        'app.kubernetes.io/managed-by': 'prometheus-operator',
        prometheus: `${release}-prometheus`,
        'operator.prometheus.io/name': `${release}-prometheus`,
      }),
      pod('Alertmanager', {
        'app.kubernetes.io/name': 'alertmanager',
        'app.kubernetes.io/managed-by': 'prometheus-operator',
        alertmanager: `${release}-alertmanager`,
      }),
      ...(valueAt(values, 'nodeExporter', 'enabled') === true
        ? [
            pod('node-exporter', {
              'app.kubernetes.io/name': 'prometheus-node-exporter',
              'app.kubernetes.io/instance': release,
            }),
          ]
        : []),
    ];
  },
};

/**
 * opentelemetry-collector 0.170.0 in `deployment` mode: pods and the Service carry the selector
 * labels (`app.kubernetes.io/name` is the chart's name unless `nameOverride`) and the mode's
 * `component`.
 */
export const openTelemetryCollector: PinnedChart = {
  source:
    'github.com/open-telemetry/opentelemetry-helm-charts@opentelemetry-collector-0.170.0: charts/opentelemetry-collector/templates/_helpers.tpl, deployment.yaml, service.yaml',
  crds: { shipped: 'none' },
  objects: ({ name: release, namespace, values }) => {
    const name =
      (valueAt(values, 'nameOverride') as string | undefined) ?? 'opentelemetry-collector';
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release };
    const component = { component: 'standalone-collector' };
    return [
      {
        kind: 'Pod',
        what: `collector pods of ${release}`,
        namespace,
        labels: { ...selector, ...component },
      },
      {
        kind: 'Service',
        what: `collector Service of ${release}`,
        namespace,
        labels: {
          ...selector,
          ...component,
          'app.kubernetes.io/part-of': 'opentelemetry-collector',
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/component': 'standalone-collector',
        },
      },
    ];
  },
};

/** jaeger 4.11.1 (all-in-one): pods and Service carry the selector labels and `component`. */
export const jaeger: PinnedChart = {
  source:
    'github.com/jaegertracing/helm-charts@jaeger-4.11.1: charts/jaeger/templates/_helpers.tpl, jaeger/jaeger-deploy.yaml, jaeger/jaeger-service.yaml',
  crds: { shipped: 'none' },
  objects: ({ name: release, namespace, values }) => {
    const name = (valueAt(values, 'nameOverride') as string | undefined) ?? 'jaeger';
    const labels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/component': 'all-in-one',
    };
    return [
      { kind: 'Pod', what: `Jaeger pods of ${release}`, namespace, labels },
      {
        kind: 'Service',
        what: `Jaeger Service of ${release}`,
        namespace,
        labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' },
      },
    ];
  },
};
