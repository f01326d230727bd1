import { describe, expect, it } from 'vitest';
import type { TopicDefinition } from '../../../services/events/topics.js';
import { kafkaNodePoolSpec, replicationConfig } from './cluster-spec.js';
import { clientNetworkPolicySpec } from './network-policies.js';
import { STRIMZI_CHART, strimziOperatorValues } from './operator.js';
import { bootstrapAddress, strimziClusterName } from './settings.js';
import { kafkaClients, kafkaUserAcls } from './users.js';

const topic = (
  producers: TopicDefinition['producers'],
  consumers: TopicDefinition['consumers'],
): TopicDefinition => ({
  description: 'test topic',
  producers,
  consumers,
  partitions: { staging: 1, production: 3 },
  cleanupPolicy: 'delete',
  retention: { ms: 1000 },
});

const topics = {
  'aia.test.orders.v1': topic(['economic-governor'], ['performance-tracker']),
  'aia.test.loops.v1': topic(['agent-orchestrator'], ['agent-orchestrator']),
  'aia.test.scores.v1': topic(['performance-tracker'], []),
};

describe('Kafka user ACLs', () => {
  it('gives a pure producer Write on its topic and no consumer group', () => {
    expect(kafkaUserAcls('economic-governor', topics)).toEqual([
      {
        resource: { type: 'topic', name: 'aia.test.orders.v1', patternType: 'literal' },
        operations: ['Write'],
      },
    ]);
  });

  it('gives a consumer Read on its topics and on the group named after it', () => {
    expect(kafkaUserAcls('performance-tracker', topics)).toEqual([
      {
        resource: { type: 'topic', name: 'aia.test.orders.v1', patternType: 'literal' },
        operations: ['Read'],
      },
      {
        resource: { type: 'topic', name: 'aia.test.scores.v1', patternType: 'literal' },
        operations: ['Write'],
      },
      {
        resource: { type: 'group', name: 'performance-tracker', patternType: 'literal' },
        operations: ['Read'],
      },
    ]);
  });

  it('combines Read and Write on a topic a service both produces and consumes', () => {
    expect(kafkaUserAcls('agent-orchestrator', topics)[0]?.operations).toEqual(['Read', 'Write']);
  });

  it('gives a reader without a group Read on its topic and no consumer group', () => {
    const read = { ...topic(['economic-governor'], []), readers: ['aia-api'] as const };
    const withReader = { 'aia.test.orders.v1': read };
    expect(kafkaUserAcls('aia-api', withReader)).toEqual([
      {
        resource: { type: 'topic', name: 'aia.test.orders.v1', patternType: 'literal' },
        operations: ['Read'],
      },
    ]);
    expect(kafkaClients(withReader)).toContain('aia-api');
  });

  it('creates users only for services that touch a topic, in catalog order', () => {
    expect(kafkaUserAcls('aia-api', topics)).toEqual([]);
    expect(kafkaClients(topics)).toEqual([
      'economic-governor',
      'agent-orchestrator',
      'performance-tracker',
    ]);
  });
});

describe('Kafka cluster settings', () => {
  it('derives broker replication defaults from the broker count', () => {
    expect(replicationConfig(1)).toMatchObject({
      'default.replication.factor': 1,
      'min.insync.replicas': 1,
      'transaction.state.log.min.isr': 1,
    });
    expect(replicationConfig(5)).toMatchObject({
      'default.replication.factor': 3,
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'min.insync.replicas': 2,
    });
  });

  it('spreads the nodes over zones and refuses a disk or pool that cannot exist', () => {
    const settings = {
      cluster: 'aia',
      pool: 'dual-role',
      brokers: 3,
      storageGb: 100,
      storageClass: 'premium-rwo',
      cpu: '1',
      memory: '4Gi',
    };
    const [zones] = kafkaNodePoolSpec(settings).template.pod.topologySpreadConstraints;
    expect(zones).toMatchObject({
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: {
        matchLabels: { 'strimzi.io/cluster': 'aia', 'strimzi.io/pool-name': 'dual-role' },
      },
    });
    expect(() => kafkaNodePoolSpec({ ...settings, storageGb: 0.5 })).toThrow(/whole number of GB/);
    expect(() => kafkaNodePoolSpec({ ...settings, brokers: 0 })).toThrow(/at least 1; got 0/);
  });

  it('rejects a cluster name Strimzi cannot derive object names from', () => {
    expect(strimziClusterName('aia')).toBe('aia');
    expect(() => strimziClusterName('AIA_kafka')).toThrow(/lower-case letters/);
  });

  it('addresses clients to the TLS bootstrap Service', () => {
    expect(bootstrapAddress('aia', 'kafka')).toBe('aia-kafka-bootstrap.kafka.svc:9093');
  });

  it('selects the brokers of its own cluster for client traffic', () => {
    expect(clientNetworkPolicySpec('aia', 'aia').podSelector.matchLabels).toEqual({
      'strimzi.io/cluster': 'aia',
      'strimzi.io/kind': 'Kafka',
      'strimzi.io/name': 'aia-kafka',
    });
  });
});

describe('Strimzi operator chart', () => {
  it('is pinned to an exact version', () => {
    expect(STRIMZI_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs hardened and makes the pods it creates meet the restricted standard', () => {
    const values = strimziOperatorValues({ 'app.kubernetes.io/name': 'kafka' });
    expect(values.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.podSecurityContext.runAsNonRoot).toBe(true);
    expect(values.extraEnvs).toContainEqual({
      name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS',
      value: 'restricted',
    });
    expect(values.resources.limits).toEqual({ cpu: '1', memory: '384Mi' });
    expect(values.labels).toEqual({ 'app.kubernetes.io/name': 'kafka' });
  });
});
