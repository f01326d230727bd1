import type { StackName } from '../../../services/catalog.js';

/** Container requests and limits, as Kubernetes quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export const resources = (
  requestCpu: string,
  requestMemory: string,
  limitCpu: string,
  limitMemory: string,
): ContainerResources => ({
  requests: { cpu: requestCpu, memory: requestMemory },
  limits: { cpu: limitCpu, memory: limitMemory },
});

/** How big each part of the monitoring stack runs on a stack. */
export interface MonitoringSizes {
  /** Prometheus replicas, each with its own volume: two in production, so a restart drops no alert. */
  readonly prometheusReplicas: number;
  readonly prometheus: ContainerResources;
  readonly alertmanager: ContainerResources;
  readonly grafana: ContainerResources;
  /** Grafana's dashboard and data source sidecars, each. */
  readonly grafanaSidecar: ContainerResources;
  readonly operator: ContainerResources;
  /** The config reloader next to each Prometheus and Alertmanager. */
  readonly configReloader: ContainerResources;
  /** The operator's admission webhook certificate jobs. */
  readonly webhookJob: ContainerResources;
  readonly kubeStateMetrics: ContainerResources;
  readonly nodeExporter: ContainerResources;
}

export const MONITORING_SIZES: Readonly<Record<StackName, MonitoringSizes>> = {
  staging: {
    prometheusReplicas: 1,
    prometheus: resources('250m', '1Gi', '1', '2Gi'),
    alertmanager: resources('20m', '64Mi', '100m', '128Mi'),
    grafana: resources('100m', '256Mi', '500m', '512Mi'),
    grafanaSidecar: resources('20m', '64Mi', '100m', '128Mi'),
    operator: resources('50m', '128Mi', '200m', '256Mi'),
    configReloader: resources('10m', '32Mi', '100m', '64Mi'),
    webhookJob: resources('10m', '32Mi', '100m', '64Mi'),
    kubeStateMetrics: resources('50m', '128Mi', '200m', '256Mi'),
    nodeExporter: resources('20m', '32Mi', '100m', '64Mi'),
  },
  production: {
    prometheusReplicas: 2,
    prometheus: resources('1', '4Gi', '2', '8Gi'),
    alertmanager: resources('50m', '128Mi', '200m', '256Mi'),
    grafana: resources('250m', '512Mi', '1', '1Gi'),
    grafanaSidecar: resources('50m', '64Mi', '200m', '128Mi'),
    operator: resources('100m', '256Mi', '500m', '512Mi'),
    configReloader: resources('10m', '32Mi', '100m', '64Mi'),
    webhookJob: resources('10m', '32Mi', '100m', '64Mi'),
    kubeStateMetrics: resources('100m', '256Mi', '500m', '512Mi'),
    nodeExporter: resources('50m', '64Mi', '200m', '128Mi'),
  },
};
