/** A Kubernetes object as the plan renders it (secrets unwrapped to their placeholders). */
// biome-ignore lint/suspicious/noExplicitAny: rendered objects are untyped JSON read field by field
export type RenderedObject = Record<string, any>;

/** Files of one mounted volume: mount path → file name → content. */
export interface MountedFiles {
  /** The volume's name in the pod. */
  readonly volume: string;
  readonly mountPath: string;
  readonly files: Readonly<Record<string, string>>;
}

/** What one container of a Deployment or Job would run with. */
export interface Workload {
  readonly kind: 'Deployment' | 'Job';
  /** The Deployment or Job name. */
  readonly name: string;
  /** The service: the last word of the command (`main.js <service>`, `migrate.js <service>`). */
  readonly service: string;
  readonly command: readonly string[];
  /** envFrom ConfigMap and Secret, then `env`, later sources winning, as the kubelet does. */
  readonly env: Readonly<Record<string, string>>;
  /** ConfigMap and Secret volumes, as mounted; emptyDir volumes are left to the local /tmp. */
  readonly mounts: readonly MountedFiles[];
}

/** Raised when a rendered workload uses something the rehearsal cannot reproduce. */
export class RenderedWorkloadError extends Error {
  override readonly name = 'RenderedWorkloadError';
}

/**
 * The Deployments and Jobs of `namespace` with the environment and files their first container
 * gets from the rendered ConfigMaps and Secrets. Throws naming the workload and the reference
 * when a ConfigMap, Secret or key it needs was not rendered (Kubernetes would not start it).
 */
export function renderedWorkloads(
  objects: readonly RenderedObject[],
  namespace: string,
): Workload[] {
  const inNamespace = objects.filter((object) => object.metadata?.namespace === namespace);
  const find = (kind: string, name: string, workload: string): RenderedObject => {
    const found = inNamespace.find((o) => o.kind === kind && o.metadata?.name === name);
    if (!found) throw new RenderedWorkloadError(`${workload}: ${kind} ${name} is not in the plan`);
    return found;
  };
  const dataOf = (object: RenderedObject): Record<string, string> =>
    object.kind === 'Secret'
      ? { ...decoded(object.data ?? {}), ...(object.stringData ?? {}) }
      : { ...(object.data ?? {}) };

  return inNamespace
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => {
      const workload = `${object.kind} ${object.metadata.name}`;
      const pod = object.spec.template.spec;
      const [container] = pod.containers;
      const env: Record<string, string> = {};
      for (const source of container.envFrom ?? []) {
        const ref = source.configMapRef ?? source.secretRef;
        Object.assign(
          env,
          dataOf(find(source.configMapRef ? 'ConfigMap' : 'Secret', ref.name, workload)),
        );
      }
      for (const variable of container.env ?? []) {
        if (typeof variable.value !== 'string')
          throw new RenderedWorkloadError(`${workload}: env ${variable.name} has no literal value`);
        env[variable.name] = variable.value;
      }
      const mounts: MountedFiles[] = [];
      for (const mount of container.volumeMounts ?? []) {
        const volume = (pod.volumes ?? []).find((v: RenderedObject) => v.name === mount.name);
        if (!volume)
          throw new RenderedWorkloadError(`${workload}: volume ${mount.name} is not declared`);
        if (volume.emptyDir) continue;
        const source = volume.configMap
          ? find('ConfigMap', volume.configMap.name, workload)
          : volume.secret
            ? find('Secret', volume.secret.secretName, workload)
            : undefined;
        if (!source)
          throw new RenderedWorkloadError(
            `${workload}: volume ${mount.name} is of a kind not rehearsed`,
          );
        mounts.push({ volume: mount.name, mountPath: mount.mountPath, files: dataOf(source) });
      }
      return {
        kind: object.kind,
        name: object.metadata.name,
        service: String(container.command.at(-1)),
        command: container.command,
        env,
        mounts,
      };
    });
}

const decoded = (data: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
  );

/**
 * The services' namespace of a rendered stack (its `services.namespace`): where the catalog's
 * services' Deployments are. Throws when the plan renders none.
 */
export function servicesNamespace(
  objects: readonly RenderedObject[],
  services: readonly string[],
): string {
  const deployment = objects.find(
    (object) =>
      object.kind === 'Deployment' &&
      services.includes(object.metadata?.labels?.['app.kubernetes.io/name']),
  );
  if (!deployment) throw new RenderedWorkloadError('the plan renders no Deployment of a service');
  return deployment.metadata.namespace;
}
