import type { DataStore } from '../../../services/catalog.js';
import { aggregate, eq, num, oneOf, re, select, str } from '../promql/index.js';
import { alertRule } from './alert.js';
import { DEPLOYMENT_VARIANTS, RULE_SETTINGS, type RuleNamespaces } from './settings.js';
import type { AlertingRule, Catalog } from './types.js';

const { dataStoreFor, kafka, neo4j } = RULE_SETTINGS;

const dependents = (catalog: Catalog, store: DataStore) =>
  Object.values(catalog)
    .filter((definition) => definition.dataStores.includes(store))
    .map((definition) => definition.name);

/**
 * Cloud SQL and Memorystore cannot be scraped from the cluster; when one fails, every service
 * that uses it fails `/readyz` together. Fires when none of them has an available replica.
 */
function unreachable(name: string, store: DataStore, what: string, catalog: Catalog, ns: string) {
  const services = dependents(catalog, store);
  if (services.length === 0) return [];
  const names = oneOf(services);
  const colours = oneOf(DEPLOYMENT_VARIANTS);
  const available = select('kube_deployment_status_replicas_available', [
    eq('namespace', ns),
    re('deployment', `(${names})(-(${colours}))?`),
  ]);
  const byService = `label_replace(${available}, "service", "$1", "deployment", ${str(`(${names})(?:-(?:${colours}))?`)})`;
  return [
    alertRule({
      name,
      expr: `${aggregate('count', ['namespace'], `${aggregate('max', ['namespace', 'service'], byService)} == 0`)} >= ${services.length}`,
      for: dataStoreFor,
      severity: 'critical',
      category: 'system_down',
      labels: { datastore: store },
      summary: `${what} looks unreachable: every service that uses it is unready.`,
      description: `None of the ${services.length} services using ${what} has had an available replica in namespace {{ $labels.namespace }} for ${dataStoreFor} (${services.join(', ')}): their /readyz checks fail together, which points at ${what} or the network path to it.`,
    }),
  ];
}

/** Cloud SQL, Memorystore, Neo4j and Kafka, from the services' readiness and exporters. */
export function dataStoreAlerts(catalog: Catalog, namespaces: RuleNamespaces): AlertingRule[] {
  const set = (metric: string) =>
    aggregate(
      'max',
      ['namespace', 'statefulset'],
      select(metric, [eq('namespace', namespaces.data), eq('statefulset', neo4j.statefulSet)]),
    );
  return [
    ...unreachable('CloudSqlUnreachable', 'postgres', 'Cloud SQL', catalog, namespaces.services),
    ...unreachable('RedisUnreachable', 'redis', 'Memorystore', catalog, namespaces.services),
    alertRule({
      name: 'Neo4jUnavailable',
      expr: `${set('kube_statefulset_status_replicas_ready')} < ${set('kube_statefulset_replicas')}`,
      for: dataStoreFor,
      severity: 'critical',
      category: 'system_down',
      labels: { datastore: 'neo4j' },
      summary: 'Neo4j is not ready: the knowledge graph cannot be read or written.',
      description: `StatefulSet {{ $labels.statefulset }} in namespace {{ $labels.namespace }} has fewer ready replicas than desired (the community edition runs one: it is down). Services using the graph: ${dependents(catalog, 'neo4j').join(', ') || 'none'}.`,
    }),
    alertRule({
      name: 'KafkaBrokerNotReady',
      expr: `${aggregate('max', ['namespace', 'pod'], select('kube_pod_status_ready', [eq('namespace', namespaces.kafka), eq('condition', 'false'), re('pod', kafka.brokerPod)]))} == 1`,
      for: dataStoreFor,
      severity: 'warning',
      category: 'system_down',
      labels: { datastore: 'kafka' },
      summary: 'A Kafka broker is not ready.',
      description: `Broker pod {{ $labels.pod }} in namespace {{ $labels.namespace }} has not been ready for ${dataStoreFor}; its partitions run under-replicated until it returns.`,
    }),
    alertRule({
      name: 'KafkaConsumerLagHigh',
      expr: `${aggregate('sum', ['namespace', 'consumergroup', 'topic'], 'kafka_consumergroup_lag')} > ${num(kafka.consumerLagMessages)}`,
      for: kafka.lagFor,
      severity: 'warning',
      category: 'performance_degradation',
      labels: { datastore: 'kafka' },
      summary: 'A Kafka consumer group is falling behind.',
      description: `Consumer group {{ $labels.consumergroup }} is more than ${num(kafka.consumerLagMessages)} messages behind on topic {{ $labels.topic }} and has been for ${kafka.lagFor}.`,
    }),
  ];
}

/** Always fires: the dead-man's switch alarms when it stops arriving. */
export const watchdogAlert = (): AlertingRule =>
  alertRule({
    name: 'Watchdog',
    expr: 'vector(1)',
    for: '0m',
    severity: 'info',
    category: 'system_updates',
    labels: { watchdog: 'true' },
    summary: 'Always firing: proves that Prometheus, Alertmanager and the route between them work.',
    description:
      "This alert fires all the time and is routed to the dead-man's switch; when the switch stops receiving it, alerting is broken.",
  });
