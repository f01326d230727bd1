export * from './cluster-spec.js';
export { KafkaCluster, type KafkaClusterArgs } from './kafka-cluster.js';
export * from './network-policies.js';
export * from './operator.js';
export * from './settings.js';
export * from './users.js';
