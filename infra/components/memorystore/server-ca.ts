import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/**
 * Where the services find the Memorystore server CA: a ConfigMap (a CA certificate is public)
 * mounted read-only into every container that uses Redis, its file named by REDIS_CA_CERT_FILE.
 */
export const REDIS_SERVER_CA = {
  configMap: 'redis-server-ca',
  key: 'ca.crt',
  mountPath: '/etc/aia/redis-ca',
} as const;

/** The path REDIS_CA_CERT_FILE points at inside the containers. */
export const REDIS_CA_CERT_FILE = `${REDIS_SERVER_CA.mountPath}/${REDIS_SERVER_CA.key}`;

/**
 * The instance's server CA certificates (`serverCaCerts`) as one PEM bundle: during a CA
 * rotation Memorystore lists the old and the new CA, and clients must trust both.
 */
export const pemBundle = (certificates: readonly string[]): string =>
  certificates.map((certificate) => `${certificate.trim()}\n`).join('');

export interface RedisServerCaArgs {
  /** The services' namespace. */
  readonly namespace: pulumi.Input<string>;
  /** `MemorystoreRedis.serverCaCertificates`. */
  readonly certificates: pulumi.Input<string[]>;
}

/**
 * The ConfigMap holding the server CA bundle in the services' namespace, and the SHA-256 of the
 * bundle (for a pod annotation, so a rotated CA rolls the pods that read it at start).
 */
export function redisServerCaConfigMap(
  name: string,
  args: RedisServerCaArgs,
  opts?: pulumi.CustomResourceOptions,
): { readonly configMap: k8s.core.v1.ConfigMap; readonly checksum: pulumi.Output<string> } {
  const bundle = pulumi.output(args.certificates).apply(pemBundle);
  const configMap = new k8s.core.v1.ConfigMap(
    `${name}-redis-server-ca`,
    {
      metadata: { name: REDIS_SERVER_CA.configMap, namespace: args.namespace },
      data: { [REDIS_SERVER_CA.key]: bundle },
    },
    opts,
  );
  const checksum = bundle.apply((pem) => createHash('sha256').update(pem).digest('hex'));
  return { configMap, checksum };
}
