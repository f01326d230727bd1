import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RecordedResource } from './recorder.js';
import { redactSecrets } from './secrets.js';

/** A Kubernetes object the program would apply: apiVersion, kind and metadata at least. */
type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
};

/** The recorded Kubernetes objects (providers and component wrappers excluded). */
export function kubernetesObjects(resources: readonly RecordedResource[]): KubernetesObject[] {
  return resources
    .filter((resource) => resource.custom && resource.type.startsWith('kubernetes:'))
    .map((resource) => redactSecrets(resource.inputs) as KubernetesObject)
    .filter((object) => typeof object.apiVersion === 'string' && typeof object.kind === 'string');
}

/**
 * Writes each object as `<dir>/kubernetes/<namespace or _cluster>/<kind>-<name>.yaml`; secret
 * values are redacted. Returns the files written.
 */
export async function writeKubernetesObjects(
  dir: string,
  resources: readonly RecordedResource[],
): Promise<string[]> {
  const written: string[] = [];
  for (const object of kubernetesObjects(resources)) {
    const folder = join(dir, 'kubernetes', object.metadata?.namespace ?? '_cluster');
    await mkdir(folder, { recursive: true });
    const file = join(
      folder,
      `${object.kind.toLowerCase()}-${object.metadata?.name ?? 'unnamed'}.yaml`,
    );
    await writeFile(file, stringify(object));
    written.push(file);
  }
  await mkdir(join(dir, 'kubernetes'), { recursive: true });
  return written;
}
