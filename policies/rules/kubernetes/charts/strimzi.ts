import {
  type DeclaredObject,
  labelMap,
  type PinnedChart,
  type StackCustomResource,
  valueAt,
} from './types.js';

/** The CRDs Strimzi publishes with each release, as one manifest (a release asset). */
export const strimziCrdsUrl = (version: string): string =>
  `https://github.com/strimzi/strimzi-kafka-operator/releases/download/${version}/strimzi-crds-${version}.yaml`;

/** Strimzi copies a custom resource's own labels to what it creates, under its own. */
const own = (resource: StackCustomResource) =>
  Object.fromEntries(
    Object.entries(resource.labels).filter(([key]) => !key.startsWith('strimzi.io/')),
  );

/** `Labels.generateDefaultLabels`: the component type also names the app. */
const clusterLabels = (cluster: string, name: string, componentType: string) => ({
  'strimzi.io/cluster': cluster,
  'strimzi.io/kind': 'Kafka',
  'strimzi.io/name': name,
  'strimzi.io/component-type': componentType,
  'app.kubernetes.io/name': componentType,
  'app.kubernetes.io/instance': cluster,
  'app.kubernetes.io/part-of': cluster,
  'app.kubernetes.io/managed-by': 'strimzi-cluster-operator',
});

/**
 * strimzi-kafka-operator 1.2.0: the cluster operator's pods (060-Deployment template), and what
 * it makes from each Kafka of its namespace (`Labels.generateDefaultLabels` and the model
 * classes): broker pods per KafkaNodePool, the bootstrap and brokers Services, the Kafka
 * Exporter and the Entity Operator when the Kafka asks for them.
 */
export const strimziKafkaOperator: PinnedChart = {
  source:
    'github.com/strimzi/strimzi-kafka-operator@1.2.0: packaging/helm-charts/helm3/strimzi-kafka-operator, operator-common/.../model/Labels.java',
  crds: {
    shipped: 'crds-directory',
    names: [
      'kafkas.kafka.strimzi.io',
      'kafkaconnects.kafka.strimzi.io',
      'strimzipodsets.core.strimzi.io',
      'kafkatopics.kafka.strimzi.io',
      'kafkausers.kafka.strimzi.io',
      'kafkanodepools.kafka.strimzi.io',
      'kafkabridges.kafka.strimzi.io',
      'kafkaconnectors.kafka.strimzi.io',
      'kafkamirrormaker2s.kafka.strimzi.io',
      'kafkarebalances.kafka.strimzi.io',
    ],
    operator: 'Strimzi 1.2.0',
    manifest: strimziCrdsUrl('1.2.0'),
    // 1.0 removed v1beta2, v1beta1 and v1alpha1: every CRD of 1.2.0 serves (and stores) v1 only.
    served: {
      'kafka.strimzi.io/v1': [
        'Kafka',
        'KafkaConnect',
        'KafkaTopic',
        'KafkaUser',
        'KafkaNodePool',
        'KafkaBridge',
        'KafkaConnector',
        'KafkaMirrorMaker2',
        'KafkaRebalance',
      ],
      'core.strimzi.io/v1': ['StrimziPodSet'],
    },
  },
  objects: (release, resources) => {
    const namespace = release.namespace;
    const objects: DeclaredObject[] = [
      {
        kind: 'Pod',
        what: 'Strimzi cluster operator pods',
        namespace,
        labels: {
          ...labelMap(valueAt(release.values, 'labels')),
          name: 'strimzi-cluster-operator',
          'strimzi.io/kind': 'cluster-operator',
        },
      },
    ];
    // The operator watches only its own namespace (watchAnyNamespace false).
    const here = resources.filter((resource) => resource.namespace === namespace);
    for (const kafka of here.filter((resource) => resource.kind === 'Kafka')) {
      const cluster = kafka.name;
      const brokers = { ...own(kafka), ...clusterLabels(cluster, `${cluster}-kafka`, 'kafka') };
      for (const pool of here.filter(
        (r) => r.kind === 'KafkaNodePool' && r.labels['strimzi.io/cluster'] === cluster,
      )) {
        objects.push({
          kind: 'Pod',
          what: `Strimzi broker pods of ${cluster} (pool ${pool.name})`,
          namespace,
          labels: { ...own(pool), ...brokers, 'strimzi.io/pool-name': pool.name },
        });
      }
      for (const service of ['kafka-bootstrap', 'kafka-brokers']) {
        objects.push({
          kind: 'Service',
          what: `Strimzi Service ${cluster}-${service}`,
          namespace,
          labels: brokers,
        });
      }
      for (const [field, component] of [
        ['kafkaExporter', 'kafka-exporter'],
        ['entityOperator', 'entity-operator'],
      ] as const) {
        if (!kafka.spec[field]) continue;
        objects.push({
          kind: 'Pod',
          what: `Strimzi ${component} pods of ${cluster}`,
          namespace,
          labels: {
            ...own(kafka),
            ...clusterLabels(cluster, `${cluster}-${component}`, component),
          },
        });
      }
    }
    return objects;
  },
};
