import { describe, expect, expectTypeOf, it } from 'vitest';
import { isServiceName } from '../catalog.js';
import {
  consumerGroup,
  DEAD_LETTER_MIN_RETENTION_MS,
  deadLetterTopic,
  eventTopics,
  minInSyncReplicas,
  replicationFactor,
  type TopicDefinition,
  type TopicName,
  topicSpec,
  topics,
  withDeadLetterTopics,
} from './topics.js';

const DAY_MS = 86_400_000;
const entries = Object.entries(topics) as [TopicName, TopicDefinition][];

describe('topic catalog', () => {
  it('names every topic aia.<domain>.<entity>.v<n>, dead-letter topics with .dlq', () => {
    for (const [name] of entries) {
      expect(name).toMatch(/^aia\.[a-z]+\.[a-z]+\.v\d+(\.dlq)?$/);
    }
    expect(Object.keys(eventTopics)).toEqual([
      'aia.ledger.transfers.v1',
      'aia.ledger.accounts.v1',
      'aia.agents.tasks.v1',
      'aia.agents.runs.v1',
      'aia.agents.progress.v1',
      'aia.agents.registry.v1',
      'aia.ventures.opportunities.v1',
      'aia.ventures.runs.v1',
      'aia.performance.rankings.v1',
      'aia.dkg.changes.v1',
      'aia.audit.events.v1',
    ]);
  });

  it('names only catalog services as producers and consumers, and every topic has a producer', () => {
    for (const [, topic] of entries) {
      expect(topic.producers.length).toBeGreaterThan(0);
      for (const service of [...topic.producers, ...topic.consumers]) {
        expect(isServiceName(service)).toBe(true);
      }
    }
  });

  it('never has fewer partitions in production than on staging', () => {
    for (const [, topic] of entries) {
      expect(topic.partitions.staging).toBeGreaterThanOrEqual(1);
      expect(topic.partitions.production).toBeGreaterThanOrEqual(topic.partitions.staging);
    }
  });

  it('keeps audit events a year, ledger transfers 30 days over 12 production partitions', () => {
    expect(topics['aia.audit.events.v1'].retention).toEqual({ ms: 365 * DAY_MS });
    expect(topics['aia.ledger.transfers.v1']).toMatchObject({
      cleanupPolicy: 'delete',
      retention: { ms: 30 * DAY_MS },
      partitions: { production: 12 },
    });
  });

  it('compacts the state topics instead of expiring them', () => {
    for (const name of [
      'aia.ledger.accounts.v1',
      'aia.agents.registry.v1',
      'aia.performance.rankings.v1',
    ] as const) {
      expect(topics[name]).toMatchObject({ cleanupPolicy: 'compact', retention: 'compact' });
    }
  });

  it('has every service produce audit events', () => {
    expect([...topics['aia.audit.events.v1'].producers].sort()).toEqual([
      'agent-orchestrator',
      'aia-api',
      'dkg-manager',
      'economic-governor',
      'performance-tracker',
      'venture-discovery',
    ]);
  });

  it('gives a service its own name as consumer group', () => {
    expect(consumerGroup('economic-governor')).toBe('economic-governor');
  });
});

describe('dead-letter topics', () => {
  it('exist exactly for the topics that have consumers', () => {
    const expected = Object.entries(eventTopics)
      .filter(([, topic]) => topic.consumers.length > 0)
      .map(([name]) => `${name}.dlq`);
    const actual = Object.keys(topics).filter((name) => name.endsWith('.dlq'));
    expect(actual).toEqual(expected);
    expect(actual).not.toContain('aia.audit.events.v1.dlq');
    expectTypeOf<'aia.ledger.transfers.v1.dlq'>().toExtend<TopicName>();
    expectTypeOf<'aia.audit.events.v1.dlq'>().not.toExtend<TopicName>();
  });

  it('are written and replayed by the consumers of their source, nobody else', () => {
    const deadLetters = topics['aia.agents.runs.v1.dlq'];
    expect(deadLetters.producers).toEqual([
      'performance-tracker',
      'dkg-manager',
      'venture-discovery',
    ]);
    expect(deadLetters.consumers).toEqual([
      'performance-tracker',
      'dkg-manager',
      'venture-discovery',
    ]);
  });

  it('expire, keeping at least 30 days and never less than their source', () => {
    expect(topics['aia.ledger.accounts.v1.dlq']).toMatchObject({
      cleanupPolicy: 'delete',
      retention: { ms: DEAD_LETTER_MIN_RETENTION_MS },
    });
    expect(topics['aia.agents.tasks.v1.dlq'].retention).toEqual({ ms: 30 * DAY_MS });
    const longLived = deadLetterTopic(
      { ...topics['aia.audit.events.v1'], consumers: ['aia-api'] },
      'aia.audit.events.v1',
    );
    expect(longLived.retention).toEqual({ ms: 365 * DAY_MS });
  });

  it('leaves a catalog without consumers unchanged', () => {
    const audit = { 'aia.audit.events.v1': topics['aia.audit.events.v1'] };
    expect(withDeadLetterTopics(audit)).toEqual(audit);
  });
});

describe('topicSpec', () => {
  const transfers = topics['aia.ledger.transfers.v1'];

  it('replicates three times with two in sync on a production cluster of 3 brokers', () => {
    expect(topicSpec(transfers, 'production', 3)).toEqual({
      partitions: 12,
      replicas: 3,
      config: {
        'retention.ms': 30 * DAY_MS,
        'cleanup.policy': 'delete',
        'min.insync.replicas': 2,
      },
    });
  });

  it('keeps one copy, one in sync, on a single staging broker', () => {
    expect(topicSpec(transfers, 'staging', 1)).toEqual({
      partitions: 3,
      replicas: 1,
      config: { 'retention.ms': 30 * DAY_MS, 'cleanup.policy': 'delete', 'min.insync.replicas': 1 },
    });
  });

  it('never asks for more than three replicas, however many brokers', () => {
    expect(topicSpec(transfers, 'production', 6).replicas).toBe(3);
    expect(topicSpec(transfers, 'production', 2)).toMatchObject({
      replicas: 2,
      config: { 'min.insync.replicas': 2 },
    });
  });

  it('keeps compacted records for ever', () => {
    expect(topicSpec(topics['aia.ledger.accounts.v1'], 'production', 3).config).toEqual({
      'retention.ms': -1,
      'cleanup.policy': 'compact',
      'min.insync.replicas': 2,
    });
  });

  it('refuses a cluster without a whole number of brokers', () => {
    expect(() => topicSpec(transfers, 'staging', 0)).toThrow(/at least 1; got 0/);
    expect(() => replicationFactor(1.5)).toThrow(/whole number of brokers/);
  });

  it('derives min.insync.replicas from the replicas alone', () => {
    expect([1, 2, 3].map(minInSyncReplicas)).toEqual([1, 2, 2]);
  });
});
