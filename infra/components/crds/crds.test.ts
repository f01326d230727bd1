import { describe, expect, it } from 'vitest';
import { chartCrds, servedApis } from './manifests.js';
import { customResourceProblems } from './validate.js';

describe('vendored CRDs', () => {
  it('parses every CRD of the pinned releases', () => {
    expect(chartCrds('oci://quay.io/strimzi-helm/strimzi-kafka-operator', '1.2.0')).toHaveLength(
      10,
    );
    expect(chartCrds('kube-prometheus-stack', '88.5.3')).toHaveLength(10);
  });

  it('refuses a chart version whose CRDs are not vendored, saying what to replace', () => {
    expect(() => chartCrds('strimzi-kafka-operator', '0.51.0')).toThrow(
      'chart strimzi-kafka-operator is pinned to 0.51.0 but its vendored CRDs are of 1.2.0: replace manifests/strimzi-kafka-operator-1.2.0.yaml with the CRDs of 0.51.0',
    );
    expect(() => chartCrds('cert-manager', '1.0.0')).toThrow(/has no vendored CRDs/);
  });

  it('knows which API versions the pinned Strimzi serves: v1 only', () => {
    const served = servedApis(chartCrds('strimzi-kafka-operator', '1.2.0'));
    expect([...served.keys()].sort()).toEqual(['core.strimzi.io/v1', 'kafka.strimzi.io/v1']);
    expect(served.get('kafka.strimzi.io/v1')).toEqual(
      new Set([
        'Kafka',
        'KafkaConnect',
        'KafkaTopic',
        'KafkaUser',
        'KafkaNodePool',
        'KafkaBridge',
        'KafkaConnector',
        'KafkaMirrorMaker2',
        'KafkaRebalance',
      ]),
    );
  });
});

describe('customResourceProblems', () => {
  const crds = chartCrds('strimzi-kafka-operator', '1.2.0');
  const user = (acl: Record<string, unknown>) => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 't' }, ...acl }] },
    },
  });

  it('accepts an object the served schema describes', () => {
    expect(customResourceProblems(user({ operations: ['Read'] }), crds)).toEqual([]);
  });

  it('names an API version the CRDs no longer serve, and the one to use', () => {
    expect(
      customResourceProblems({ ...user({}), apiVersion: 'kafka.strimzi.io/v1beta2' }, crds),
    ).toEqual([
      'KafkaUser kafka.strimzi.io/v1beta2 is not served by kafkausers.kafka.strimzi.io: use kafka.strimzi.io/v1',
    ]);
  });

  it('treats a field the version removed as an error, where the API server would drop it', () => {
    expect(customResourceProblems(user({ operation: 'Read' }), crds)).toEqual([
      "KafkaUser spec.authorization.acls.0 must have required property 'operations'",
      'KafkaUser spec.authorization.acls.0 must NOT have additional properties (operation)',
    ]);
    const kafka = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'Kafka',
      spec: { kafka: { listeners: [], replicas: 3 }, zookeeper: { replicas: 3 } },
    };
    expect(customResourceProblems(kafka, crds)).toEqual(
      expect.arrayContaining([
        'Kafka spec must NOT have additional properties (zookeeper)',
        'Kafka spec.kafka must NOT have additional properties (replicas)',
      ]),
    );
  });
});
