import { describe, expect, it } from 'vitest';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { selectorsMatchSomething } from './selector-targets.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const namespace = (name: string) =>
  planned('kubernetes:core/v1:Namespace', `ns-${name}`, { metadata: { name } });
const check = async (...resources: ReturnType<typeof planned>[]) =>
  messagesOf(await violationsOf([selectorsMatchSomething], resources));

const deployment = (name: string, labels: Record<string, string>) =>
  planned('kubernetes:apps/v1:Deployment', name, {
    metadata: { name, namespace: 'aia' },
    spec: { template: { metadata: { labels }, spec: { containers: [] } } },
  });
const service = (name: string, selector: Record<string, string>, labels = {}) =>
  planned('kubernetes:core/v1:Service', name, {
    metadata: { name, namespace: 'aia', labels },
    spec: { selector },
  });

describe('k8s-selector-targets', () => {
  const neo4j = planned(RELEASE, 'neo4j', {
    name: 'neo4j',
    chart: 'neo4j',
    version: '5.26.21',
    namespace: 'data',
    values: { neo4j: { name: 'neo4j' } },
  });

  it('flags a ServiceMonitor on a chart whose pinned entry declares no matching Service', async () => {
    const serviceMonitor = planned('kubernetes:monitoring.coreos.com/v1:ServiceMonitor', 'sm', {
      metadata: { name: 'neo4j', namespace: 'data' },
      spec: { selector: { matchLabels: { app: 'neo4j' } }, endpoints: [] },
    });
    const [message] = await check(namespace('data'), neo4j, serviceMonitor);
    expect(message).toMatch(
      /^ServiceMonitor data\/neo4j selects Services labelled app=neo4j in namespace data, and nothing/,
    );
  });

  it('accepts a PodMonitor on the labels the pinned chart puts on its pods', async () => {
    const podMonitor = planned('kubernetes:monitoring.coreos.com/v1:PodMonitor', 'pm', {
      metadata: { name: 'neo4j', namespace: 'data' },
      spec: { selector: { matchLabels: { app: 'neo4j' } }, podMetricsEndpoints: [] },
    });
    expect(await check(namespace('data'), neo4j, podMonitor)).toEqual([]);
  });

  it('flags a Service whose selector matches no pod of its namespace, and accepts one that does', async () => {
    const pods = deployment('api', { 'app.kubernetes.io/name': 'aia-api', color: 'blue' });
    expect(await check(pods, service('api', { 'app.kubernetes.io/name': 'aia-api' }))).toEqual([]);
    const [message] = await check(pods, service('api', { 'app.kubernetes.io/name': 'aia-apl' }));
    expect(message).toContain(
      'Service aia/api selects Pods labelled app.kubernetes.io/name=aia-apl in namespace aia',
    );
    expect(message).toContain(
      'pods of Deployment aia/api (app.kubernetes.io/name=aia-api,color=blue)',
    );
  });

  it('checks NetworkPolicy peers in the namespace they name', async () => {
    const policy = (peerLabels: Record<string, string>) =>
      planned('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'np', {
        metadata: { name: 'np', namespace: 'aia' },
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aia-api' } },
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } },
                  podSelector: { matchLabels: peerLabels },
                },
              ],
            },
          ],
        },
      });
    const pods = deployment('api', { 'app.kubernetes.io/name': 'aia-api' });
    expect(await check(pods, policy({ 'app.kubernetes.io/name': 'aia-api' }))).toEqual([]);
    expect(await check(pods, policy({ 'app.kubernetes.io/name': 'nobody' }))).toEqual([
      expect.stringContaining('NetworkPolicy aia/np (peer in aia) selects Pods labelled'),
    ]);
  });

  it('finds Strimzi broker pods from the Kafka and KafkaNodePool of the operator namespace', async () => {
    const operator = planned(RELEASE, 'strimzi', {
      name: 'strimzi',
      chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
      version: '1.2.0',
      namespace: 'kafka',
      values: {},
    });
    const kafka = planned('kubernetes:kafka.strimzi.io/v1:Kafka', 'kafka', {
      metadata: { name: 'aia', namespace: 'kafka' },
      spec: { kafka: {}, kafkaExporter: {} },
    });
    const pool = planned('kubernetes:kafka.strimzi.io/v1:KafkaNodePool', 'pool', {
      metadata: { name: 'dual-role', namespace: 'kafka', labels: { 'strimzi.io/cluster': 'aia' } },
      spec: {},
    });
    const selecting = (matchLabels: Record<string, string>) =>
      planned('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'np', {
        metadata: { name: 'np', namespace: 'kafka' },
        spec: { podSelector: { matchLabels } },
      });
    const brokers = { 'strimzi.io/name': 'aia-kafka', 'strimzi.io/pool-name': 'dual-role' };
    expect(await check(operator, kafka, pool, selecting(brokers))).toEqual([]);
    expect(
      await check(operator, kafka, pool, selecting({ 'strimzi.io/name': 'aia-kafka-exporter' })),
    ).toEqual([]);
    expect(
      await check(operator, kafka, pool, selecting({ 'strimzi.io/name': 'other-kafka' })),
    ).toHaveLength(1);
  });

  it('leaves unknown namespaces to the whole stack when checking a component alone', async () => {
    const elsewhere = planned('kubernetes:monitoring.coreos.com/v1:PodMonitor', 'pm', {
      metadata: { name: 'x', namespace: 'kafka' },
      spec: { selector: { matchLabels: { app: 'x' } } },
    });
    expect(await check(elsewhere)).toEqual([]);
    expect(await check(namespace('kafka'), elsewhere)).toHaveLength(1);
    // A stack that creates its namespaces: a monitor in any other namespace watches nothing.
    expect(await check(namespace('data'), elsewhere)).toHaveLength(1);
  });
});
