/** Schema packages of custom resource groups, besides `kubernetes-models` for the built-in API. */
const CRD_PACKAGES: Record<string, string> = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'core.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'networking.gke.io': '@kubernetes-models/gke',
  'cloud.google.com': '@kubernetes-models/gke',
};

export type SchemaCheck =
  | { readonly status: 'valid' }
  | { readonly status: 'invalid'; readonly error: string }
  | { readonly status: 'no-schema'; readonly reason: string };

type Model = new (data: unknown) => { validate(): void };

/** API versions no schema package carries, validated by a schema of the repository's own. */
const LOCAL_SCHEMAS: Record<string, string> = {
  'autoscaling.k8s.io/v1': './vertical-pod-autoscaler-schema.js',
};

/** `apps/v1` → `kubernetes-models/apps/v1`; `v1` → `kubernetes-models/v1`; CRD groups → their package. */
function moduleFor(apiVersion: string): string | undefined {
  const local = LOCAL_SCHEMAS[apiVersion];
  if (local) return local;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!group) return `kubernetes-models/${version}`;
  if (!group.includes('.') || group.endsWith('.k8s.io'))
    return `kubernetes-models/${group}/${version}`;
  const crdPackage = CRD_PACKAGES[group];
  return crdPackage ? `${crdPackage}/${group}/${version}` : undefined;
}

/**
 * Validates a rendered object against the Kubernetes (or CRD) OpenAPI schema with the
 * `kubernetes-models` classes, the way the API server would at admission.
 */
export async function checkKubernetesSchema(object: {
  apiVersion: string;
  kind: string;
}): Promise<SchemaCheck> {
  const specifier = moduleFor(object.apiVersion);
  if (!specifier)
    return { status: 'no-schema', reason: `no schema package for ${object.apiVersion}` };
  let models: Record<string, Model>;
  try {
    models = (await import(specifier)) as Record<string, Model>;
  } catch {
    return { status: 'no-schema', reason: `${specifier} is not installed` };
  }
  const ModelClass = models[object.kind];
  if (!ModelClass)
    return { status: 'invalid', error: `${object.apiVersion} has no kind ${object.kind}` };
  try {
    new ModelClass(object).validate();
    return { status: 'valid' };
  } catch (error) {
    return { status: 'invalid', error: (error as Error).message };
  }
}
