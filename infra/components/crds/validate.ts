import * as monitoringV1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as monitoringV1alpha1 from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import * as strimziCoreV1 from '@kubernetes-models/strimzi-kafka-operator/core.strimzi.io/v1';
import * as strimziKafkaV1 from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1';

type Model = new (data: unknown) => { validate(): void };

/**
 * The schemas of the custom resources this program renders, from the maintained
 * `kubernetes-models` packages (docs/crds.md says which operator release each stands for):
 * `group/version` → the package's model classes by kind. Test and plan code only: the packages
 * are devDependencies, the Pulumi program does not load this module.
 */
const MODELS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'kafka.strimzi.io/v1': strimziKafkaV1,
  'core.strimzi.io/v1': strimziCoreV1,
  'monitoring.coreos.com/v1': monitoringV1,
  'monitoring.coreos.com/v1alpha1': monitoringV1alpha1,
};

/**
 * Problems of `object` as sentences: its API version and kind are not served by the pinned
 * chart's CRDs (`served`, from the table of pinned charts), or the model of that version refuses
 * it (a required field missing, a value of the wrong type or out of its enum). `[]` when valid.
 * The models do not refuse unknown fields, which the API server would prune.
 */
export function customResourceProblems(
  object: { apiVersion: string; kind: string },
  served: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const { apiVersion, kind } = object;
  if (!served.get(apiVersion)?.has(kind)) {
    const group = apiVersion.split('/')[0];
    const alternatives = [...served]
      .filter(([api, kinds]) => api.startsWith(`${group}/`) && kinds.has(kind))
      .map(([api]) => api);
    return [
      `${kind} ${apiVersion} is not served by the pinned CRDs${alternatives.length ? `: use ${alternatives.join(' or ')}` : ''}`,
    ];
  }
  const ModelClass = MODELS[apiVersion]?.[kind] as Model | undefined;
  if (!ModelClass) return [`no model package for ${kind} ${apiVersion}`];
  try {
    new ModelClass(object).validate();
    return [];
  } catch (error) {
    return [`${kind} ${(error as Error).message}`];
  }
}
