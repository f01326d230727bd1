/** Where a metric the rules read comes from, when not from the services themselves. */
export interface ExporterMetric {
  readonly source: string;
  /** What must be deployed for the series to exist, when the platform does not deploy it yet. */
  readonly requires?: string;
}

const KUBE_STATE_METRICS = 'kube-state-metrics (kube-prometheus-stack)';
const CADVISOR = "cAdvisor, scraped from each kubelet's /metrics/cadvisor (kube-prometheus-stack)";
const KAFKA_EXPORTER = 'Strimzi Kafka Exporter';

/**
 * Every metric the rules read that the services do not export, with its source. The metric
 * test fails on any other name, so a rule cannot watch a series nothing produces.
 */
export const EXPORTER_METRICS: Readonly<Record<string, ExporterMetric>> = {
  up: { source: 'Prometheus itself: 1 when the last scrape of a target succeeded' },
  kube_pod_container_resource_limits: { source: KUBE_STATE_METRICS },
  kube_pod_container_status_restarts_total: { source: KUBE_STATE_METRICS },
  kube_pod_container_status_ready: { source: KUBE_STATE_METRICS },
  kube_pod_status_phase: { source: KUBE_STATE_METRICS },
  kube_pod_status_ready: { source: KUBE_STATE_METRICS },
  kube_deployment_spec_replicas: { source: KUBE_STATE_METRICS },
  kube_deployment_status_observed_generation: { source: KUBE_STATE_METRICS },
  kube_deployment_status_replicas_available: { source: KUBE_STATE_METRICS },
  kube_deployment_status_replicas_unavailable: { source: KUBE_STATE_METRICS },
  kube_deployment_status_replicas_updated: { source: KUBE_STATE_METRICS },
  kube_statefulset_replicas: { source: KUBE_STATE_METRICS },
  kube_statefulset_status_replicas_ready: { source: KUBE_STATE_METRICS },
  container_cpu_usage_seconds_total: { source: CADVISOR },
  container_memory_working_set_bytes: { source: CADVISOR },
  kafka_consumergroup_lag: { source: KAFKA_EXPORTER },
};
