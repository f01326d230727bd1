import type { StackName } from '../../../services/catalog.js';
import { ENTITY_OPERATOR_RESOURCES, STRIMZI_OPERATOR_RESOURCES } from '../kafka/index.js';
import { MONITORING_SIZES } from '../monitoring/index.js';
import { BACKUP_EXPORT_RESOURCES, BACKUP_UPLOAD_RESOURCES } from '../neo4j/index.js';
import { TRACING_SIZES } from '../tracing/index.js';
import {
  budgetItem,
  type ContainerResources,
  type NamespaceBudget,
  namespaceBudget,
} from './budget.js';
import { DEFAULT_CONTAINER_RESOURCES } from './limit-range.js';
import { surgePods } from './service-budget.js';

/** The stack's sizes of the platform workloads (`aia-platform:workloads`). */
export interface PlatformWorkloadSizes {
  readonly neo4j: { readonly cpu: string; readonly memory: string };
  readonly kafka: { readonly brokers: number; readonly cpu: string; readonly memory: string };
  readonly monitoring: { readonly alertmanagerReplicas: number };
}

const equal = (size: { readonly cpu: string; readonly memory: string }): ContainerResources => ({
  requests: { cpu: size.cpu, memory: size.memory },
  limits: { cpu: size.cpu, memory: size.memory },
});

/** A Deployment of `replicas` at its surge: the charts keep Kubernetes' default 25 %. */
const deploymentPods = (replicas: number) => replicas + surgePods(replicas);

/**
 * One pod at the LimitRange's defaults, for a container a chart adds without declaring
 * resources (the quota counts it at those defaults).
 */
const undeclared = () =>
  budgetItem('undeclared containers: 1 pod at the LimitRange defaults', 1, {
    containers: [DEFAULT_CONTAINER_RESOURCES],
  });

/**
 * The platform namespaces' needs at max scale, from the sizes each component declares (its
 * chart values, its custom resources). StatefulSets and Strimzi's brokers roll one pod at a time
 * (no surge); Deployments surge; a CronJob with `concurrencyPolicy: Forbid` runs one pod.
 */
export function platformBudgets(
  stack: StackName,
  sizes: PlatformWorkloadSizes,
): Record<'data' | 'kafka' | 'monitoring' | 'ingress', NamespaceBudget> {
  const monitoring = MONITORING_SIZES[stack];
  const tracing = TRACING_SIZES[stack];
  const reloaded = (main: ContainerResources) => ({
    containers: [main, monitoring.configReloader],
    initContainers: [monitoring.configReloader],
  });
  const { brokers } = sizes.kafka;
  return {
    data: namespaceBudget([
      budgetItem('Neo4j server: 1 (StatefulSet)', 1, { containers: [equal(sizes.neo4j)] }),
      budgetItem('Neo4j backup: 1 (CronJob, Forbid)', 1, {
        containers: [BACKUP_UPLOAD_RESOURCES],
        initContainers: [BACKUP_EXPORT_RESOURCES],
      }),
      undeclared(),
    ]),
    kafka: namespaceBudget([
      budgetItem(`Kafka brokers: ${brokers}`, brokers, { containers: [equal(sizes.kafka)] }),
      budgetItem('Strimzi operator: 1 + 1 surge', deploymentPods(1), {
        containers: [STRIMZI_OPERATOR_RESOURCES],
      }),
      budgetItem('entity operator: 1 + 1 surge', deploymentPods(1), {
        containers: [ENTITY_OPERATOR_RESOURCES, ENTITY_OPERATOR_RESOURCES],
      }),
      budgetItem('Kafka exporter: 1 + 1 surge', deploymentPods(1), {
        containers: [ENTITY_OPERATOR_RESOURCES],
      }),
      undeclared(),
    ]),
    monitoring: namespaceBudget([
      budgetItem(
        `Prometheus: ${monitoring.prometheusReplicas}`,
        monitoring.prometheusReplicas,
        reloaded(monitoring.prometheus),
      ),
      budgetItem(
        `Alertmanager: ${sizes.monitoring.alertmanagerReplicas}`,
        sizes.monitoring.alertmanagerReplicas,
        reloaded(monitoring.alertmanager),
      ),
      budgetItem('Grafana: 1 + 1 surge', deploymentPods(1), {
        containers: [monitoring.grafana, monitoring.grafanaSidecar, monitoring.grafanaSidecar],
      }),
      budgetItem('Prometheus operator: 1 + 1 surge', deploymentPods(1), {
        containers: [monitoring.operator],
      }),
      budgetItem('kube-state-metrics: 1 + 1 surge', deploymentPods(1), {
        containers: [monitoring.kubeStateMetrics],
      }),
      budgetItem('admission webhook Jobs: 2', 2, { containers: [monitoring.webhookJob] }),
      budgetItem(
        `OpenTelemetry Collector: ${tracing.collectorReplicas} + ${surgePods(tracing.collectorReplicas)} surge`,
        deploymentPods(tracing.collectorReplicas),
        { containers: [tracing.collector] },
      ),
      budgetItem('Jaeger: 1 + 1 surge', deploymentPods(1), { containers: [tracing.jaeger] }),
      undeclared(),
    ]),
    // Nothing runs in `ingress` (the load balancers are Google's): its quota admits no pod.
    ingress: namespaceBudget([]),
  };
}
