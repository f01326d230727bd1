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

/** Services that produce or consume at least one topic, in catalog order: each gets a KafkaUser. */
export const kafkaClients = (topics: Topics): ServiceName[] =>
  serviceNames.filter((service) =>
    Object.values(topics).some(
      (topic) => topic.producers.includes(service) || topic.consumers.includes(service),
    ),
  );

/**
 * The ACLs of `service`: Write on the topics it produces, Read on those it consumes (Read and
 * Write imply Describe), and Read on its own consumer group when it consumes anything. Every
 * name is literal: no prefix or wildcard reaches another service's topics or group.
 */
export function kafkaUserAcls(service: ServiceName, topics: Topics): KafkaAcl[] {
  const acls: KafkaAcl[] = [];
  for (const [name, topic] of Object.entries(topics)) {
    const operations: AclOperation[] = [
      ...(topic.consumers.includes(service) ? (['Read'] as const) : []),
      ...(topic.producers.includes(service) ? (['Write'] as const) : []),
    ];
    if (operations.length === 0) continue;
    acls.push({ resource: { type: 'topic', name, patternType: 'literal' }, operations });
  }
  const consumes = acls.some((acl) => acl.operations.includes('Read'));
  if (consumes) {
    acls.push({
      resource: { type: 'group', name: consumerGroup(service), patternType: 'literal' },
      operations: ['Read'],
    });
  }
  return acls;
}

/**
 * The `spec` of `service`'s KafkaUser: SCRAM-SHA-512, with a password the User Operator
 * generates into a Secret named after the user, and the ACLs above.
 */
export function kafkaUserSpec(service: ServiceName, topics: Topics) {
  return {
    authentication: { type: 'scram-sha-512' },
    authorization: { type: 'simple', acls: kafkaUserAcls(service, topics) },
  };
}
