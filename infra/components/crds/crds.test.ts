import { describe, expect, it } from 'vitest';
import { PINNED_CHARTS } from '../../../policies/rules/kubernetes/charts/index.js';
import { STRIMZI_CHART } from '../kafka/operator.js';
import { KUBE_PROMETHEUS_STACK } from '../monitoring/values.js';
import { chartCrdRelease, servedApis } from './releases.js';
import { customResourceProblems } from './validate.js';

describe('CRDs of the pinned charts', () => {
  it("names the pinned releases' published CRD manifests, by the chart's version", () => {
    expect(chartCrdRelease(STRIMZI_CHART.chart, STRIMZI_CHART.version).manifest).toBe(
      'https://github.com/strimzi/strimzi-kafka-operator/releases/download/1.2.0/strimzi-crds-1.2.0.yaml',
    );
    expect(
      chartCrdRelease(KUBE_PROMETHEUS_STACK.chart, KUBE_PROMETHEUS_STACK.version).manifest,
    ).toBe(
      'https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.93.1/stripped-down-crds.yaml',
    );
  });

  it('refuses a chart version not in the table, saying what to add', () => {
    expect(() =>
      chartCrdRelease('oci://quay.io/strimzi-helm/strimzi-kafka-operator', '0.51.0'),
    ).toThrow(
      "chart strimzi-kafka-operator@0.51.0 is not in the table of pinned charts: add it to policies/rules/kubernetes/charts/ with the URL of its release's CRD manifest",
    );
    expect(() => chartCrdRelease('jaeger', '4.11.1')).toThrow(/ships no CRDs in crds\//);
  });

  it('states for every chart with a crds/ directory a manifest of its own version and served APIs for each CRD', () => {
    for (const [key, { crds }] of Object.entries(PINNED_CHARTS)) {
      if (crds.shipped !== 'crds-directory') continue;
      expect(crds.manifest, key).toMatch(
        /^https:\/\/github\.com\/[^/]+\/[^/]+\/releases\/download\//,
      );
      const version = crds.operator.slice(crds.operator.lastIndexOf(' ') + 1).replace(/^v/, '');
      expect(crds.manifest, key).toContain(version);
      // Every CRD's group serves something, and nothing is served outside the CRDs' groups.
      const groups = new Set(crds.names.map((name) => name.slice(name.indexOf('.') + 1)));
      const servedGroups = new Set(Object.keys(crds.served).map((api) => api.split('/')[0]));
      expect(servedGroups, key).toEqual(groups);
      const kinds = Object.values(crds.served).flat();
      expect(kinds.length, key).toBe(crds.names.length);
    }
  });

  it('knows which API versions the pinned Strimzi serves: v1 only', () => {
    const served = servedApis(STRIMZI_CHART.chart, STRIMZI_CHART.version);
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
  const served = servedApis(STRIMZI_CHART.chart, STRIMZI_CHART.version);
  const user = (acl: Record<string, unknown>) => ({
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaUser',
    metadata: { name: 'u' },
    spec: {
      authentication: { type: 'scram-sha-512' },
      authorization: { type: 'simple', acls: [{ resource: { type: 'topic', name: 't' }, ...acl }] },
    },
  });

  it("accepts an object the served version's model describes", () => {
    expect(customResourceProblems(user({ operations: ['Read'] }), served)).toEqual([]);
  });

  it('names an API version the CRDs no longer serve, and the one to use', () => {
    expect(
      customResourceProblems({ ...user({}), apiVersion: 'kafka.strimzi.io/v1beta2' }, served),
    ).toEqual([
      'KafkaUser kafka.strimzi.io/v1beta2 is not served by the pinned CRDs: use kafka.strimzi.io/v1',
    ]);
  });

  it('refuses an object v1 no longer accepts: ACLs need operations, a Kafka at least one listener', () => {
    expect(customResourceProblems(user({ operation: 'Read' }), served)).toEqual([
      expect.stringMatching(/^KafkaUser .*acls\/0 must have required property .?operations/),
    ]);
    const kafka = {
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'Kafka',
      metadata: { name: 'k' },
      spec: { kafka: { listeners: [] } },
    };
    expect(customResourceProblems(kafka, served)).toEqual([
      expect.stringMatching(/^Kafka .*listeners must NOT have (less|fewer) than 1 item/),
    ]);
  });
});
