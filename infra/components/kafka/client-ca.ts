import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/**
 * Where the services find the Kafka cluster CA: a ConfigMap in their own namespace (a CA
 * certificate is public) mounted read-only into every Kafka client, its file named by
 * KAFKA_CA_CERT_FILE. Strimzi's copy lives in the Kafka namespace, which pods cannot mount from.
 */
export const KAFKA_CLUSTER_CA = {
  configMap: 'kafka-cluster-ca',
  key: 'ca.crt',
  mountPath: '/etc/aia/kafka-ca',
} as const;

/** The path KAFKA_CA_CERT_FILE points at inside the containers. */
export const KAFKA_CA_CERT_FILE = `${KAFKA_CLUSTER_CA.mountPath}/${KAFKA_CLUSTER_CA.key}`;

export interface KafkaClientCaArgs {
  /** The services' namespace. */
  readonly namespace: pulumi.Input<string>;
  /** `KafkaCluster.clusterCaCertificate`. */
  readonly certificate: pulumi.Input<string>;
}

/**
 * The ConfigMap holding the cluster CA in the services' namespace, and its SHA-256 (a pod
 * annotation, so a renewed CA rolls the pods, which read the file once at start).
 */
export function kafkaClientCaConfigMap(
  name: string,
  args: KafkaClientCaArgs,
  opts?: pulumi.CustomResourceOptions,
): { readonly configMap: k8s.core.v1.ConfigMap; readonly checksum: pulumi.Output<string> } {
  const configMap = new k8s.core.v1.ConfigMap(
    `${name}-kafka-client-ca`,
    {
      metadata: { name: KAFKA_CLUSTER_CA.configMap, namespace: args.namespace },
      data: { [KAFKA_CLUSTER_CA.key]: args.certificate },
    },
    opts,
  );
  const checksum = configMap.data.apply((data) =>
    createHash('sha256')
      .update(data?.[KAFKA_CLUSTER_CA.key] ?? '')
      .digest('hex'),
  );
  return { configMap, checksum };
}
