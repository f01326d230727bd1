import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

/**
 * Where a CA certificate the services trust is published: a ConfigMap of their namespace (a CA
 * certificate is public) whose `key` appears as a read-only file under `mountPath`.
 */
export interface CaLocation {
  readonly configMap: string;
  readonly key: string;
  readonly mountPath: string;
}

/** The path a service's `*_CA_CERT_FILE` variable points at inside the containers. */
export const caFilePath = (location: CaLocation): string => `${location.mountPath}/${location.key}`;

export interface MountedCa {
  readonly configMap: k8s.core.v1.ConfigMap;
  /** The SHA-256 of the PEM, for a pod annotation: the kit reads it once at start. */
  readonly checksum: pulumi.Output<string>;
  /** What a ServiceDeployment mounts (`files`): the volume is named after the ConfigMap. */
  readonly files: {
    readonly volume: string;
    readonly configMap: pulumi.Output<string>;
    readonly mountPath: string;
    readonly checksum: pulumi.Output<string>;
  };
}

/**
 * The ConfigMap holding `pem` at `location` in `namespace`, and how to mount it. A new PEM (a
 * rotated or renewed CA) changes the checksum, which rolls the pods that mount it.
 */
export function mountedCa(
  name: string,
  location: CaLocation,
  args: { readonly namespace: pulumi.Input<string>; readonly pem: pulumi.Input<string> },
  opts?: pulumi.CustomResourceOptions,
): MountedCa {
  const configMap = new k8s.core.v1.ConfigMap(
    name,
    {
      metadata: { name: location.configMap, namespace: args.namespace },
      data: { [location.key]: args.pem },
    },
    opts,
  );
  const checksum = pulumi
    .output(args.pem)
    .apply((pem) => createHash('sha256').update(pem).digest('hex'));
  return {
    configMap,
    checksum,
    files: {
      volume: location.configMap,
      configMap: configMap.metadata.name,
      mountPath: location.mountPath,
      checksum,
    },
  };
}
