import type { ServiceName, StackName } from '../catalog.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a topic keeps records. `delete` drops segments older than `retention.ms`; `compact`
 * keeps the latest record per key for ever (state topics, read from the start to rebuild state).
 */
export type TopicRetention =
  | { readonly cleanupPolicy: 'delete'; readonly retention: { readonly ms: number } }
  | { readonly cleanupPolicy: 'compact'; readonly retention: 'compact' };

export type TopicDefinition = TopicRetention & {
  readonly description: string;
  /** Services that write the topic: each gets Write on it and nothing else. */
  readonly producers: readonly ServiceName[];
  /** Services that read the topic, each in its own consumer group (see `consumerGroup`). */
  readonly consumers: readonly ServiceName[];
  /**
   * Services that read the topic without a consumer group: every replica reads every record and
   * commits nothing, to mirror the topic to its own clients (the gateway's live events). They get
   * Read on the topic and no group; handling events is for `consumers`.
   */
  readonly readers?: readonly ServiceName[];
  readonly partitions: Readonly<Record<StackName, number>>;
};

/**
 * The platform's event topics, keyed by their stable Kafka name `aia.<domain>.<entity>.v<n>`.
 * A breaking change to a record schema is a new topic (`.v2`), never an edit of this one.
 */
export const eventTopics = {
  'aia.ledger.transfers.v1': {
    description:
      'Token transfers committed to the ledger (AIA and AIA_GOV), keyed by transfer id (each event stands alone; its seq orders them).',
    producers: ['economic-governor'],
    consumers: ['performance-tracker'],
    readers: ['aia-api'],
    partitions: { staging: 3, production: 12 },
    cleanupPolicy: 'delete',
    retention: { ms: 30 * DAY_MS },
  },
  'aia.ledger.accounts.v1': {
    description: 'Latest balance and status of each ledger account, keyed by account id.',
    producers: ['economic-governor'],
    consumers: ['agent-orchestrator'],
    partitions: { staging: 3, production: 6 },
    cleanupPolicy: 'compact',
    retention: 'compact',
  },
  'aia.agents.tasks.v1': {
    description: 'Tasks delegated down the agent hierarchy, keyed by the agent that runs them.',
    producers: ['agent-orchestrator'],
    consumers: ['agent-orchestrator'],
    readers: ['aia-api'],
    partitions: { staging: 3, production: 12 },
    cleanupPolicy: 'delete',
    retention: { ms: 7 * DAY_MS },
  },
  'aia.agents.runs.v1': {
    description: 'Finished agent runs with their outcome, cost and duration, keyed by agent.',
    producers: ['agent-orchestrator'],
    // venture-discovery: `events` sources (services/venture-discovery/operations/event-sources.ts).
    consumers: ['performance-tracker', 'dkg-manager', 'venture-discovery'],
    readers: ['aia-api'],
    partitions: { staging: 3, production: 12 },
    cleanupPolicy: 'delete',
    retention: { ms: 30 * DAY_MS },
  },
  'aia.agents.progress.v1': {
    description:
      "A task's status changes (working, input-required, auth-required, and its end), keyed by task.",
    producers: ['agent-orchestrator'],
    consumers: [],
    // What the gateway's live events show as a task's progress (docs/gateway.md).
    readers: ['aia-api'],
    partitions: { staging: 3, production: 12 },
    cleanupPolicy: 'delete',
    retention: { ms: 7 * DAY_MS },
  },
  'aia.agents.registry.v1': {
    description:
      'Latest card data, hierarchy place and status of each agent, with a revision per change, keyed by agent id.',
    producers: ['agent-orchestrator'],
    consumers: ['dkg-manager'],
    partitions: { staging: 3, production: 6 },
    cleanupPolicy: 'compact',
    retention: 'compact',
  },
  'aia.ventures.opportunities.v1': {
    description: 'Venture opportunities found and scored by discovery, keyed by opportunity.',
    producers: ['venture-discovery'],
    consumers: ['agent-orchestrator'],
    readers: ['aia-api'],
    partitions: { staging: 1, production: 6 },
    cleanupPolicy: 'delete',
    retention: { ms: 30 * DAY_MS },
  },
  'aia.ventures.runs.v1': {
    description:
      'Progress of venture discovery runs (started, fetched, clustered, scored, done or failed), keyed by run.',
    producers: ['venture-discovery'],
    consumers: [],
    readers: ['aia-api'],
    partitions: { staging: 1, production: 3 },
    cleanupPolicy: 'delete',
    retention: { ms: 7 * DAY_MS },
  },
  'aia.performance.rankings.v1': {
    description: 'Current rank and score of each agent, keyed by agent id.',
    producers: ['performance-tracker'],
    consumers: ['economic-governor', 'agent-orchestrator'],
    readers: ['aia-api'],
    partitions: { staging: 1, production: 6 },
    cleanupPolicy: 'compact',
    retention: 'compact',
  },
  'aia.dkg.changes.v1': {
    description:
      'Changes to the skill, tool, strategy and agent registries (new versions, relations set or removed), keyed by registry entry.',
    producers: ['dkg-manager'],
    consumers: ['agent-orchestrator', 'venture-discovery'],
    partitions: { staging: 1, production: 6 },
    cleanupPolicy: 'delete',
    retention: { ms: 7 * DAY_MS },
  },
  'aia.audit.events.v1': {
    description: 'Audit trail of every state-changing action on the platform, keyed by actor.',
    producers: [
      'aia-api',
      'economic-governor',
      'venture-discovery',
      'agent-orchestrator',
      'dkg-manager',
      'performance-tracker',
    ],
    consumers: [],
    partitions: { staging: 3, production: 12 },
    cleanupPolicy: 'delete',
    retention: { ms: 365 * DAY_MS },
  },
} as const satisfies Record<string, TopicDefinition>;

export type EventTopicName = keyof typeof eventTopics;

/** The event topics `service` may read without a group (its `readers` name it). */
export type FanOutTopicsOf<S extends ServiceName> = {
  [K in EventTopicName]: (typeof eventTopics)[K] extends { readonly readers: readonly (infer R)[] }
    ? S extends R
      ? K
      : never
    : never;
}[EventTopicName];

/** Suffix of a topic's dead-letter topic: `aia.ledger.transfers.v1.dlq`. */
export const DEAD_LETTER_SUFFIX = '.dlq';
/** Dead letters stay at least this long, whatever their source topic keeps. */
export const DEAD_LETTER_MIN_RETENTION_MS = 30 * DAY_MS;

type Topics = Readonly<Record<string, TopicDefinition>>;

/** The dead-letter topic names of `T`: one per topic that has consumers. */
export type DeadLetterTopics<T extends Topics> = {
  readonly [K in keyof T & string as T[K]['consumers'] extends readonly []
    ? never
    : `${K}${typeof DEAD_LETTER_SUFFIX}`]: TopicDefinition;
};

/**
 * The dead-letter topic of a consumed topic. Its consumers write there what they cannot
 * process, and read it back to replay once fixed; nobody else touches it. Dead letters are
 * evidence, never state: always `delete`, kept as long as the source and at least 30 days.
 */
export function deadLetterTopic(source: TopicDefinition, name: string): TopicDefinition {
  const ms =
    source.cleanupPolicy === 'delete'
      ? Math.max(source.retention.ms, DEAD_LETTER_MIN_RETENTION_MS)
      : DEAD_LETTER_MIN_RETENTION_MS;
  return {
    description: `Records of ${name} its consumers could not process, kept for inspection and replay.`,
    producers: source.consumers,
    consumers: source.consumers,
    partitions: { staging: 1, production: 1 },
    cleanupPolicy: 'delete',
    retention: { ms },
  };
}

/** `topics` plus the dead-letter topic of each topic that has consumers. */
export function withDeadLetterTopics<T extends Topics>(topics: T): T & DeadLetterTopics<T> {
  const deadLetters = Object.entries(topics)
    .filter(([, topic]) => topic.consumers.length > 0)
    .map(([name, topic]) => [`${name}${DEAD_LETTER_SUFFIX}`, deadLetterTopic(topic, name)]);
  return { ...topics, ...Object.fromEntries(deadLetters) } as T & DeadLetterTopics<T>;
}

/** Every topic of the platform: the event topics and their dead-letter topics. */
export const topics = withDeadLetterTopics(eventTopics);

export type TopicName = keyof typeof topics;

/** The consumer group a service reads with: its own name, so groups never collide. */
export const consumerGroup = (service: ServiceName): string => service;

/** Copies of each partition: three where the cluster has them, else one per broker. */
export function replicationFactor(brokers: number): number {
  if (!Number.isInteger(brokers) || brokers < 1) {
    throw new Error(`Kafka needs a whole number of brokers, at least 1; got ${brokers}`);
  }
  return Math.min(3, brokers);
}

/**
 * In-sync replicas an `acks=all` write needs: 2 when there is more than one copy, so an
 * acknowledged record survives the loss of a broker; 1 on a single-broker cluster.
 */
export const minInSyncReplicas = (replicas: number): number => (replicas > 1 ? 2 : 1);

/** The `spec` of a Strimzi KafkaTopic: partitions for the stack, replicas and topic config. */
export interface KafkaTopicSpec {
  readonly partitions: number;
  readonly replicas: number;
  readonly config: {
    readonly 'retention.ms': number;
    readonly 'cleanup.policy': TopicDefinition['cleanupPolicy'];
    readonly 'min.insync.replicas': number;
  };
}

/**
 * The KafkaTopic spec of `topic` on `stack` for a cluster of `brokers`. A compacted topic keeps
 * records for ever (`retention.ms: -1`): only compaction removes superseded ones.
 */
export function topicSpec(
  topic: TopicDefinition,
  stack: StackName,
  brokers: number,
): KafkaTopicSpec {
  const replicas = replicationFactor(brokers);
  return {
    partitions: topic.partitions[stack],
    replicas,
    config: {
      'retention.ms': topic.cleanupPolicy === 'delete' ? topic.retention.ms : -1,
      'cleanup.policy': topic.cleanupPolicy,
      'min.insync.replicas': minInSyncReplicas(replicas),
    },
  };
}
