import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { NO_CREDENTIALS_ANNOTATION } from '../../../policies/rules/kubernetes/secrets.js';
import { clusterCaCertSecretName, clusterCaKeySecretName } from './settings.js';

/**
 * The cluster CA the program gives Strimzi (`clusterCa.generateCertificateAuthority: false`):
 * Strimzi signs the brokers' certificates with it, and the program knows its certificate from the
 * first `pulumi up` on, so it can publish it to the services' namespace before any broker runs.
 * Strimzi's own CA would exist only once the operator made it, in the Kafka namespace, where pods
 * of the services' namespace cannot mount it.
 */
export const CLUSTER_CA = {
  /** Five years: a CA the program owns is renewed by the program, not by the operator. */
  validityHours: 5 * 365 * 24,
  /** A `pulumi up` in the last 180 days renews the certificate (same key, so brokers stay valid). */
  earlyRenewalHours: 180 * 24,
} as const;

/**
 * Strimzi's generation annotations count CA renewals; the operator rolls the brokers onto a CA
 * certificate whose generation differs from the one their pods carry. The program derives it from
 * the certificate's start (whole days since 1970), so each renewal gets a larger number.
 */
export function caCertGeneration(validityStartTime: string): string {
  const started = Date.parse(validityStartTime);
  if (Number.isNaN(started)) return '0';
  return String(Math.floor(started / 86_400_000));
}

export interface KafkaClusterCaArgs {
  readonly cluster: string;
  /** The Kafka namespace: Strimzi reads the CA Secrets there. */
  readonly namespace: pulumi.Input<string>;
  /** Labels of both Secrets, besides the two Strimzi selects them by. */
  readonly labels: Readonly<Record<string, string>>;
}

export interface KafkaClusterCa {
  /** The CA certificate (PEM) clients verify the brokers with. */
  readonly certificate: pulumi.Output<string>;
  /** The two Secrets Strimzi reads: the Kafka resource must wait for them. */
  readonly secrets: readonly k8s.core.v1.Secret[];
}

/**
 * An RSA 4096 CA key and its self-signed certificate, stored as Strimzi expects a CA it does not
 * generate: `<cluster>-cluster-ca-cert` (`ca.crt`) and `<cluster>-cluster-ca` (`ca.key`), both
 * labelled `strimzi.io/kind: Kafka` and `strimzi.io/cluster`, with generation annotations.
 */
export function kafkaClusterCa(
  name: string,
  args: KafkaClusterCaArgs,
  opts: pulumi.CustomResourceOptions,
): KafkaClusterCa {
  const key = new tls.PrivateKey(
    `${name}-cluster-ca-key`,
    { algorithm: 'RSA', rsaBits: 4096 },
    opts,
  );
  const certificate = new tls.SelfSignedCert(
    `${name}-cluster-ca-cert`,
    {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      subject: { organization: 'aia-platform', commonName: `${args.cluster} Kafka cluster CA` },
      validityPeriodHours: CLUSTER_CA.validityHours,
      earlyRenewalHours: CLUSTER_CA.earlyRenewalHours,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
    },
    opts,
  );
  const strimziLabels = {
    ...args.labels,
    'strimzi.io/kind': 'Kafka',
    'strimzi.io/cluster': args.cluster,
  };
  const certSecret = new k8s.core.v1.Secret(
    `${name}-cluster-ca-cert`,
    {
      metadata: {
        name: clusterCaCertSecretName(args.cluster),
        namespace: args.namespace,
        labels: strimziLabels,
        annotations: {
          'strimzi.io/ca-cert-generation': certificate.validityStartTime.apply(caCertGeneration),
          [NO_CREDENTIALS_ANNOTATION]:
            'a CA certificate is public; Strimzi reads it from this Secret only',
        },
      },
      type: 'Opaque',
      stringData: { 'ca.crt': certificate.certPem },
    },
    opts,
  );
  const keySecret = new k8s.core.v1.Secret(
    `${name}-cluster-ca`,
    {
      metadata: {
        name: clusterCaKeySecretName(args.cluster),
        namespace: args.namespace,
        labels: strimziLabels,
        // The key is never replaced by a renewal: a new key is a new CA, made by hand (docs).
        annotations: { 'strimzi.io/ca-key-generation': '0' },
      },
      type: 'Opaque',
      // PKCS#8, as `openssl req -newkey rsa:4096 -keyout` writes the key Strimzi's guide installs.
      stringData: { 'ca.key': key.privateKeyPemPkcs8 },
    },
    opts,
  );
  return { certificate: certificate.certPem, secrets: [certSecret, keySecret] };
}
