import { type ServiceName, serviceNames } from '../../../services/catalog.js';
import { consumerGroup, type TopicDefinition } from '../../../services/events/topics.js';

type Topics = Readonly<Record<string, TopicDefinition>>;

export type AclOperation = 'Read' | 'Write';

/** One ACL of a Strimzi KafkaUser with `simple` authorization. */
export interface KafkaAcl {
  readonly resource: {
    readonly type: 'topic' | 'group';
    readonly name: string;
    readonly patternType: 'literal';
  };
  readonly operations: readonly AclOperation[];
}

/** Whether `service` reads `topic`: in a consumer group, or without one (fan-out). */
const reads = (topic: TopicDefinition, service: ServiceName): boolean =>
  topic.consumers.includes(service) || (topic.readers ?? []).includes(service);

/** Services that produce or read at least one topic, in catalog order: each gets a KafkaUser. */
export const kafkaClients = (topics: Topics): ServiceName[] =>
  serviceNames.filter((service) =>
    Object.values(topics).some(
      (topic) => topic.producers.includes(service) || reads(topic, service),
    ),
  );

/**
 * The ACLs of `service`: Write on the topics it produces, Read on those it consumes or reads
 * without a group (Read and Write imply Describe, which metadata and offset listing need), and
 * Read on its own consumer group when it consumes anything: a reader without a group gets none.
 * Every name is literal: no prefix or wildcard reaches another service's topics or group.
 */
export function kafkaUserAcls(service: ServiceName, topics: Topics): KafkaAcl[] {
  const acls: KafkaAcl[] = [];
  for (const [name, topic] of Object.entries(topics)) {
    const operations: AclOperation[] = [
      ...(reads(topic, service) ? (['Read'] as const) : []),
      ...(topic.producers.includes(service) ? (['Write'] as const) : []),
    ];
    if (operations.length === 0) continue;
    acls.push({ resource: { type: 'topic', name, patternType: 'literal' }, operations });
  }
  const consumes = Object.values(topics).some((topic) => topic.consumers.includes(service));
  if (consumes) {
    acls.push({
      resource: { type: 'group', name: consumerGroup(service), patternType: 'literal' },
      operations: ['Read'],
    });
  }
  return acls;
}

/** The Secret (in the Kafka namespace) holding the SCRAM password the program made for `service`. */
export const scramPasswordSecretName = (service: string): string => `${service}-scram-password`;

/** The key of the password in that Secret. */
export const SCRAM_PASSWORD_KEY = 'password';

/**
 * The `spec` of `service`'s KafkaUser: SCRAM-SHA-512 with the password the program generated
 * (read by the User Operator from `scramPasswordSecretName(service)`, so the program can hand the
 * same password to the service in its own namespace), and the ACLs above.
 */
export function kafkaUserSpec(service: ServiceName, topics: Topics) {
  return {
    authentication: {
      type: 'scram-sha-512',
      password: {
        valueFrom: {
          secretKeyRef: { name: scramPasswordSecretName(service), key: SCRAM_PASSWORD_KEY },
        },
      },
    },
    authorization: { type: 'simple', acls: kafkaUserAcls(service, topics) },
  };
}
