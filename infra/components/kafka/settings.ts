import { CONTAINER_SECURITY_CONTEXT, podSecurityContext } from '../security-contexts.js';

/**
 * The Strimzi API the custom resources use: `v1`, the only one Strimzi serves from 1.0 on
 * (0.49 introduced it; 1.0 removed v1beta2, v1beta1 and v1alpha1).
 */
export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1';

/**
 * Apache Kafka run by the brokers. Strimzi 1.2.0 supports 4.2.0, 4.2.1, 4.3.0 and 4.3.1
 * (`kafka-versions.yaml` at its tag). Kept at 4.2.0 through the operator upgrade: Strimzi
 * upgrades the operator first and the brokers' Kafka version as a change of its own.
 */
export const KAFKA_VERSION = '4.2.0';

/** The Kafka versions the pinned operator runs (`supported: true` in its kafka-versions.yaml). */
export const SUPPORTED_KAFKA_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '1.2.0': ['4.2.0', '4.2.1', '4.3.0', '4.3.1'],
};

/** The only client listener: TLS with SCRAM-SHA-512 authentication. */
export const TLS_PORT = 9093;
/** Strimzi Metrics Reporter on the brokers. */
export const KAFKA_METRICS_PORT = 9404;
/** Cluster operator and Topic Operator metrics and health (`http`, `healthcheck`). */
export const OPERATOR_METRICS_PORT = 8080;
/** User Operator metrics and health. */
export const USER_OPERATOR_METRICS_PORT = 8081;

/** The Strimzi cluster's name unless told otherwise: the prefix of its Services, Pods and Secrets. */
export const DEFAULT_CLUSTER_NAME = 'aia';

/** The node pool every broker (and KRaft controller) belongs to. */
export const NODE_POOL_NAME = 'dual-role';

/** Kubernetes object names: a DNS label, since Strimzi derives Service and Pod names from it. */
const DNS_LABEL = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** `name` if Strimzi can build its object names from it; throws, saying why, otherwise. */
export function strimziClusterName(name: string): string {
  if (!DNS_LABEL.test(name)) {
    throw new Error(
      `Kafka cluster name "${name}" is invalid: use 1 to 40 lower-case letters, digits and "-", starting with a letter (Strimzi appends suffixes such as -kafka-bootstrap)`,
    );
  }
  return name;
}

/** `<cluster>-kafka-bootstrap.<namespace>.svc:9093`: where clients start, over TLS. */
export const bootstrapAddress = (cluster: string, namespace: string): string =>
  `${cluster}-kafka-bootstrap.${namespace}.svc:${TLS_PORT}`;

/** The Secret holding the cluster CA certificate (`ca.crt`) clients verify the brokers with. */
export const clusterCaCertSecretName = (cluster: string): string => `${cluster}-cluster-ca-cert`;

/** The Secret holding the cluster CA's private key (`ca.key`), which only Strimzi reads. */
export const clusterCaKeySecretName = (cluster: string): string => `${cluster}-cluster-ca`;

/**
 * Labels of an object of the Kafka platform: the caller's labels plus the `app.kubernetes.io`
 * set, which the caller cannot override.
 */
export function kafkaLabels(
  labels: Readonly<Record<string, string>>,
  component: string,
): Record<string, string> {
  return {
    ...labels,
    'app.kubernetes.io/name': 'kafka',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'aia-platform',
    'app.kubernetes.io/managed-by': 'pulumi',
  };
}

/** Labels Strimzi puts on the broker pods of `cluster`. */
export const brokerPodLabels = (cluster: string): Record<string, string> => ({
  'strimzi.io/cluster': cluster,
  'strimzi.io/kind': 'Kafka',
  'strimzi.io/name': `${cluster}-kafka`,
});

/** The Strimzi images' user (`strimzi`, uid 1001, in the root group as OpenShift expects). */
export const STRIMZI_UID = 1001;

/** Strimzi's containers: the platform's hardened context. */
export { CONTAINER_SECURITY_CONTEXT };

/** Strimzi's pods: its image user; volumes owned by group 0, as Strimzi sets by default. */
export const POD_SECURITY_CONTEXT = podSecurityContext({ user: STRIMZI_UID, group: 0 });
