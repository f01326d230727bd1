import type * as pulumi from '@pulumi/pulumi';
import { serviceDefinition, serviceNames } from '../../services/catalog.js';
import { topics } from '../../services/events/topics.js';
import { AlertmanagerSecrets, ObservabilityContent } from '../components/alerting/index.js';
import { backendServiceAnnotations, edgeObjectName } from '../components/ingress/index.js';
import {
  DEFAULT_CLUSTER_NAME,
  KafkaCluster,
  kafkaExporterPodMonitor,
} from '../components/kafka/index.js';
import { resourceLabels } from '../components/labels.js';
import { CentralizedLogging } from '../components/logging/index.js';
import { KUBE_PROMETHEUS_STACK, MonitoringStack } from '../components/monitoring/index.js';
import { PlatformNamespaces } from '../components/namespaces/index.js';
import { Neo4jDatabase } from '../components/neo4j/index.js';
import { configuredBackupLocation } from '../components/object-storage/backup-location.js';
import { PagerDutyRouting } from '../components/pagerduty/index.js';
import {
  NAMESPACE_CONCERNS,
  NamespaceLimits,
  stackBudgets,
} from '../components/resource-quotas/index.js';
import { REGIONAL_PD_CLASS, regionalPdClass } from '../components/storage-classes/index.js';
import { jaegerQueryUrl, TracingStack } from '../components/tracing/index.js';
import { alertmanagerMaintenance } from '../maintenance/window.js';
import { namespaceEgress } from '../namespace-egress.js';
import type { withPagerDutyUserIds } from '../pagerduty-people.js';
import type { StackContext } from './context.js';
import type { foundation } from './foundation.js';

type Foundation = ReturnType<typeof foundation>;
type PagerDutySettings = Awaited<ReturnType<typeof withPagerDutyUserIds>> | undefined;

/**
 * What runs on the cluster beside the services: namespaces with default-deny egress, Neo4j,
 * Kafka, alerting, monitoring and tracing.
 */
export function clusterPlatform(
  { config, receiverSecrets, prefix }: StackContext,
  { gke }: Pick<Foundation, 'gke'>,
  pagerdutySettings: PagerDutySettings,
) {
  // Workloads on the cluster: every Kubernetes object goes through the cluster's provider.
  const onCluster = { providers: { kubernetes: gke.provider } };
  // The platform's namespaces besides the services' (which the stack configures).
  const fixed = { data: 'data', kafka: 'kafka', monitoring: 'monitoring' } as const;
  // Every namespace denies egress by default; these are the destinations each may reach.
  const egress = namespaceEgress({
    namespaces: fixed,
    privateServicesCidr: config.network.privateServicesCidr,
    masterCidr: config.network.masterCidr,
    subnetCidr: config.network.subnetCidr,
    llmEndpoint: config.llm.openaiCompatibleBaseUrl,
  });
  const namespaces = new PlatformNamespaces(
    prefix,
    {
      namespaces: {
        services: { name: config.services.namespace, egress: egress.services },
        data: { name: fixed.data, podSecurity: 'baseline', egress: egress.data },
        kafka: { name: fixed.kafka, podSecurity: 'baseline', egress: egress.kafka },
        monitoring: { name: fixed.monitoring, podSecurity: 'baseline', egress: egress.monitoring },
        ingress: { name: 'ingress', egress: egress.ingress },
      },
    },
    onCluster,
  );

  const workloads = config.workloads;
  // Each namespace's quota is what its workloads need at max scale (docs/resource-management.md).
  const budgets = stackBudgets(config.stack, serviceNames.map(serviceDefinition), workloads);
  new NamespaceLimits(
    `${prefix}-limits`,
    {
      namespaces: Object.fromEntries(
        NAMESPACE_CONCERNS.map((concern) => [
          concern,
          { name: namespaces.names[concern] as pulumi.Output<string>, budget: budgets[concern] },
        ]),
      ),
    },
    onCluster,
  );
  // Single-replica stateful workloads (Neo4j, Jaeger's store) on regional persistent disks where
  // the cluster is regional, so a zone outage does not take their data with it. A zonal cluster
  // (staging) keeps the zonal default.
  const singleReplicaVolumes = config.cluster.regional
    ? regionalPdClass(
        prefix,
        { zones: config.zones, labels: resourceLabels({ environment: config.stack }) },
        { provider: gke.provider },
      )
    : undefined;
  const singleReplicaStorageClass = singleReplicaVolumes && REGIONAL_PD_CLASS;
  const neo4j = new Neo4jDatabase(
    `${prefix}-neo4j`,
    {
      project: config.project,
      // Outside the region alone: the dumps must outlive it (lost-region.md).
      backupLocation: configuredBackupLocation(config),
      namespace: namespaces.names.data as pulumi.Output<string>,
      stack: config.stack,
      ...workloads.neo4j,
      labels: resourceLabels({ environment: config.stack, service: 'neo4j' }),
      workloadIdentityPool: gke.workloadIdentityPool,
      prefix,
      clientNamespace: config.services.namespace,
      // Backups live as long as the cluster holding the data: staging's go with `pulumi destroy`.
      deletionProtection: config.cluster.deletionProtection,
      storageClass: singleReplicaStorageClass,
      kmsKeyName: config.backups.kmsKeyName ?? config.objectStorage.kmsKeyName,
    },
    { ...onCluster, dependsOn: singleReplicaVolumes ? [singleReplicaVolumes] : [] },
  );
  const kafka = new KafkaCluster(
    `${prefix}-kafka`,
    {
      namespace: namespaces.names.kafka as pulumi.Output<string>,
      stack: config.stack,
      ...workloads.kafka,
      labels: resourceLabels({ environment: config.stack, service: 'kafka' }),
      topics,
      clientNamespace: config.services.namespace,
    },
    onCluster,
  );

  // Alerting: PagerDuty areas and their Events API v2 keys (on a stack with PagerDuty), then
  // Alertmanager's configuration and credentials as Secrets the monitoring stack mounts.
  const pagerduty =
    pagerdutySettings &&
    new PagerDutyRouting(`${prefix}-pagerduty`, {
      stack: config.stack,
      areas: pagerdutySettings.areas,
      schedules: pagerdutySettings.schedules,
      escalation: pagerdutySettings.escalation,
      labels: resourceLabels({ environment: config.stack, service: 'alerting' }),
    });
  const alertmanagerSecrets = new AlertmanagerSecrets(
    `${prefix}-alertmanager`,
    {
      namespace: namespaces.names.monitoring as pulumi.Output<string>,
      routing: {
        stack: config.stack,
        slackChannels: config.alerting.slackChannels,
        emailTo: config.alerting.emailTo,
        smtp: config.alerting.smtp,
        deadMansSwitchUrl: config.alerting.deadMansSwitchUrl,
        maintenanceWindow: alertmanagerMaintenance(config.maintenance),
        areas: pagerdutySettings?.areas ?? {},
      },
      pagerduty: pagerduty && { keys: pagerduty.integrationKeys, defaultArea: 'platform' },
      slackWebhookUrl: receiverSecrets.slackWebhookUrl,
      smtpPassword: receiverSecrets.smtpPassword,
    },
    onCluster,
  );
  // Every container's stdout goes to Cloud Logging (the cluster's loggingConfig); its retention
  // and the log-based metrics, whose alerts ./cloud-alerts.ts creates (docs/logging.md).
  const logging = new CentralizedLogging(`${prefix}-logging`, {
    project: config.project,
    prefix,
    retentionDays: config.logging.retentionDays,
    servicesNamespace: config.services.namespace,
    labels: resourceLabels({ environment: config.stack, service: 'logging' }),
  });
  const monitoring = new MonitoringStack(
    `${prefix}-monitoring`,
    {
      namespace: namespaces.names.monitoring as pulumi.Output<string>,
      stack: config.stack,
      retention: workloads.monitoring.retention,
      prometheusStorageGb: workloads.monitoring.prometheusStorageGb,
      alertmanagerReplicas: workloads.monitoring.alertmanagerReplicas,
      grafanaHost: config.grafanaDomain,
      grafanaServiceAnnotations: backendServiceAnnotations(edgeObjectName('grafana')),
      tracingQueryUrl: jaegerQueryUrl('monitoring'),
      alertmanagerConfig: {
        secretName: alertmanagerSecrets.configSecretName,
        mountedSecrets: alertmanagerSecrets.mountedSecrets,
      },
      labels: resourceLabels({ environment: config.stack, service: 'monitoring' }),
    },
    { ...onCluster, dependsOn: [alertmanagerSecrets] },
  );
  new ObservabilityContent(
    `${prefix}-observability`,
    {
      stack: config.stack,
      namespace: namespaces.names.monitoring as pulumi.Output<string>,
      releaseName: KUBE_PROMETHEUS_STACK.releaseName,
      // Alerts and dashboards select the series of the namespaces this stack runs things in.
      namespaces: { services: config.services.namespace, data: fixed.data, kafka: fixed.kafka },
      maintenance: config.maintenance,
      monitors: [
        kafkaExporterPodMonitor(
          DEFAULT_CLUSTER_NAME,
          fixed.kafka,
          KUBE_PROMETHEUS_STACK.releaseName,
        ),
      ],
    },
    { ...onCluster, dependsOn: [monitoring.release] },
  );
  const tracing = new TracingStack(
    `${prefix}-tracing`,
    {
      namespace: namespaces.names.monitoring as pulumi.Output<string>,
      stack: config.stack,
      labels: resourceLabels({ environment: config.stack, service: 'tracing' }),
      otlpClientNamespaces: [config.services.namespace],
      prometheusOperator: monitoring.release,
      storageClass: singleReplicaStorageClass,
    },
    { ...onCluster, dependsOn: singleReplicaVolumes ? [singleReplicaVolumes] : [] },
  );
  return {
    onCluster,
    namespaces,
    pagerduty,
    logging,
    neo4j,
    kafka,
    monitoring,
    tracing,
  };
}
