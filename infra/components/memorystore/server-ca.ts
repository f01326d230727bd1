import * as pulumi from '@pulumi/pulumi';
import { type CaLocation, caFilePath, type MountedCa, mountedCa } from '../mounted-ca.js';

/**
 * Where the services find the Memorystore server CA: a ConfigMap (a CA certificate is public)
 * mounted read-only into every container that uses Redis, its file named by REDIS_CA_CERT_FILE.
 */
export const REDIS_SERVER_CA: CaLocation = {
  configMap: 'redis-server-ca',
  key: 'ca.crt',
  mountPath: '/etc/aia/redis-ca',
};

/** The path REDIS_CA_CERT_FILE points at inside the containers. */
export const REDIS_CA_CERT_FILE = caFilePath(REDIS_SERVER_CA);

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

/** The server CA bundle as a ConfigMap of the services' namespace, and how to mount it. */
export const redisServerCaConfigMap = (
  name: string,
  args: RedisServerCaArgs,
  opts?: pulumi.CustomResourceOptions,
): MountedCa =>
  mountedCa(
    `${name}-redis-server-ca`,
    REDIS_SERVER_CA,
    { namespace: args.namespace, pem: pulumi.output(args.certificates).apply(pemBundle) },
    opts,
  );
