import type * as pulumi from '@pulumi/pulumi';
import { type CaLocation, caFilePath, type MountedCa, mountedCa } from '../mounted-ca.js';

/**
 * Where the services find the Kafka cluster CA: a ConfigMap in their own namespace mounted
 * read-only into every Kafka client, its file named by KAFKA_CA_CERT_FILE. Strimzi's copy lives
 * in the Kafka namespace, which pods cannot mount from.
 */
export const KAFKA_CLUSTER_CA: CaLocation = {
  configMap: 'kafka-cluster-ca',
  key: 'ca.crt',
  mountPath: '/etc/aia/kafka-ca',
};

/** The path KAFKA_CA_CERT_FILE points at inside the containers. */
export const KAFKA_CA_CERT_FILE = caFilePath(KAFKA_CLUSTER_CA);

export interface KafkaClientCaArgs {
  /** The services' namespace. */
  readonly namespace: pulumi.Input<string>;
  /** `KafkaCluster.clusterCaCertificate`. */
  readonly certificate: pulumi.Input<string>;
}

/** The cluster CA as a ConfigMap of the services' namespace, and how to mount it. */
export const kafkaClientCaConfigMap = (
  name: string,
  args: KafkaClientCaArgs,
  opts?: pulumi.CustomResourceOptions,
): MountedCa =>
  mountedCa(
    `${name}-kafka-client-ca`,
    KAFKA_CLUSTER_CA,
    { namespace: args.namespace, pem: args.certificate },
    opts,
  );
