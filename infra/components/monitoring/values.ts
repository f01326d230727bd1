import type { StackName } from '../../../services/catalog.js';
import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from '../security-contexts.js';
import { grafanaValues } from './grafana-values.js';
import { MONITORING_SIZES } from './sizes.js';

/**
 * kube-prometheus-stack, pinned: every upgrade is a reviewed change. Its CRDs (prometheus-operator
 * v0.93.1 for 88.5.3) are applied by Pulumi from that release's published CRD manifest, not by
 * the chart: a bump here needs its entry in policies/rules/kubernetes/charts/ too (docs/crds.md).
 */
export const KUBE_PROMETHEUS_STACK = {
  chart: 'kube-prometheus-stack',
  version: '88.5.3',
  repo: 'https://prometheus-community.github.io/helm-charts',
  /** Helm release name; the chart prefixes its objects with it. */
  releaseName: 'kube-prometheus-stack',
} as const;

/** Services the chart creates, named after the release. */
export const monitoringServices = (release: string) => ({
  grafana: { name: `${release}-grafana`, port: 80, targetPort: 3000 },
  prometheus: { name: `${release}-prometheus`, port: 9090 },
  alertmanager: { name: `${release}-alertmanager`, port: 9093 },
});

/** A Prometheus duration: numbers with units, such as `15d` or `1d12h`. */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** Keep Prometheus below the volume: past this share of it, the oldest blocks go first. */
const RETENTION_SIZE_SHARE = 0.85;

export interface MonitoringValuesArgs {
  readonly stack: StackName;
  readonly retention: string;
  readonly prometheusStorageGb: number;
  readonly alertmanagerReplicas: number;
  readonly grafanaHost: string;
  readonly grafanaAdminSecretName: string;
  readonly grafanaServiceAnnotations?: Record<string, string>;
  /** Jaeger's query URL: adds a trace data source and links exemplars to it. */
  readonly tracingQueryUrl?: string;
  readonly nodeExporter?: boolean;
  readonly alertmanagerConfig?: AlertmanagerConfigSource;
}

/**
 * Alertmanager configuration kept outside the chart: a Secret of the release's namespace whose
 * key `alertmanager.yaml` is the whole configuration, and Secrets mounted at
 * `/etc/alertmanager/secrets/<name>/` for it to read (a PagerDuty `routing_key_file`, say).
 */
export interface AlertmanagerConfigSource {
  readonly secretName: string;
  readonly mountedSecrets?: readonly string[];
}

/** Without a source, the chart's own configuration: every alert to a null receiver. */
const alertmanagerConfigValues = (source: AlertmanagerConfigSource | undefined) =>
  source
    ? {
        useExistingSecret: true,
        configSecret: source.secretName,
        secrets: [...(source.mountedSecrets ?? [])],
      }
    : {};

/**
 * Values of the kube-prometheus-stack release. ServiceMonitors, PodMonitors and PrometheusRules
 * of every namespace load whatever their labels (the `*NilUsesHelmValues: false` selectors), and
 * Grafana loads every ConfigMap labelled `grafana_dashboard: "1"`. Components GKE manages or does
 * not run (controller manager, scheduler, etcd, kube-proxy, CoreDNS) are neither scraped nor
 * alerted on. Throws, saying why, on settings Prometheus or Alertmanager would refuse.
 */
export function monitoringValues(args: MonitoringValuesArgs) {
  if (!DURATION.test(args.retention)) {
    throw new Error(
      `retention "${args.retention}" is not a Prometheus duration such as 15d or 720h`,
    );
  }
  if (!Number.isInteger(args.alertmanagerReplicas) || args.alertmanagerReplicas < 1) {
    throw new Error(
      `alertmanagerReplicas must be a whole number of at least 1, got ${args.alertmanagerReplicas}`,
    );
  }
  const sizes = MONITORING_SIZES[args.stack];
  const nodeExporter = args.nodeExporter ?? false;
  const managedByGke = { enabled: false };
  return {
    // The CRDs are applied by Pulumi (ChartCrds): Helm would install them once, never upgrade them.
    crds: { enabled: false },
    defaultRules: {
      rules: {
        etcd: false,
        kubeControllerManager: false,
        kubeSchedulerAlerting: false,
        kubeSchedulerRecording: false,
        kubeProxy: false,
        windows: false,
        nodeExporterAlerting: nodeExporter,
        nodeExporterRecording: nodeExporter,
      },
    },
    kubeControllerManager: managedByGke,
    kubeScheduler: managedByGke,
    kubeEtcd: managedByGke,
    kubeProxy: managedByGke,
    // GKE runs kube-dns, not CoreDNS.
    coreDns: { enabled: false },
    kubeDns: { enabled: true },
    nodeExporter: { enabled: nodeExporter },
    'prometheus-node-exporter': { resources: sizes.nodeExporter },
    'kube-state-metrics': {
      resources: sizes.kubeStateMetrics,
      // Merged over the chart's own (`securityContext.enabled` stays true): the image's nobody.
      securityContext: podSecurityContext({ user: 65534 }),
      containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
    },
    prometheusOperator: {
      resources: sizes.operator,
      securityContext: podSecurityContext({ user: 65534 }),
      containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
      prometheusConfigReloader: { resources: sizes.configReloader },
      admissionWebhooks: { patch: { resources: sizes.webhookJob } },
    },
    prometheus: {
      prometheusSpec: {
        replicas: sizes.prometheusReplicas,
        retention: args.retention,
        retentionSize: `${Math.floor(args.prometheusStorageGb * RETENTION_SIZE_SHARE)}GB`,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: 'premium-rwo',
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${args.prometheusStorageGb}Gi` } },
            },
          },
        },
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        resources: sizes.prometheus,
        securityContext: podSecurityContext({ user: 1000, group: 2000 }),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: args.alertmanagerReplicas,
        resources: sizes.alertmanager,
        securityContext: podSecurityContext({ user: 1000, group: 2000 }),
        ...alertmanagerConfigValues(args.alertmanagerConfig),
      },
    },
    grafana: grafanaValues(args, sizes),
  };
}
