import { generateKeyPairSync } from 'node:crypto';

/**
 * Every secret value in an offline plan contains this marker — secure config values, generated
 * passwords, auth strings — so that redaction can find them anywhere, even inside a URL.
 */
export const SECRET_MARKER = 'plan-secret-';

export const secretPlaceholder = (what: string) => `${SECRET_MARKER}${what}`;

/**
 * The token issuer's key (the cloud-side `tls.PrivateKey`): a real P-256 key made for this plan
 * run, since the public key set the services receive is derived from it, led by the secret
 * marker as PEM's explanatory text (parsers skip it). Never deployed.
 */
export const placeholderSigningKey = (() => {
  let pem: string | undefined;
  return () => {
    pem ??= `${secretPlaceholder('jwt-signing-key')}\n${generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString()}`;
    return pem;
  };
})();

/** Placeholder addresses from the documentation ranges, so nothing in a plan looks routable. */
export const PLACEHOLDER_ADDRESSES = {
  clusterEndpoint: '192.0.2.10',
  sqlPrivateIp: '10.255.0.3',
  sqlReplicaPrivateIp: '10.255.0.4',
  redisHost: '10.255.1.4',
  /** Reserved external addresses (the load balancers' static IPs). */
  globalAddress: '192.0.2.20',
} as const;

/**
 * Certificates the cloud or a provider creates (Memorystore's per-instance server CA, the Kafka
 * cluster CA the tls provider signs): plain text, not PEM, so a service given one unreplaced
 * refuses it by name instead of failing a TLS handshake.
 */
export const PLACEHOLDER_CERTIFICATES = {
  redisServerCa: 'plan-placeholder: the Memorystore server CA certificate (serverCaCerts)',
  kafkaClusterCa: 'plan-placeholder: the Kafka cluster CA certificate (tls.SelfSignedCert)',
} as const;

/** When a placeholder certificate starts: a fixed instant, so plans are reproducible. */
export const PLACEHOLDER_VALIDITY_START = '2026-01-01T00:00:00Z';
