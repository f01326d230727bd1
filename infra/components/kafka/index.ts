export * from './client-ca.js';
export * from './cluster-ca.js';
export * from './cluster-spec.js';
export {
  type KafkaClientCredentials,
  KafkaCluster,
  type KafkaClusterArgs,
} from './kafka-cluster.js';
export * from './network-policies.js';
export * from './operator.js';
export * from './settings.js';
export * from './users.js';
