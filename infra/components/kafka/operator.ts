import { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT } from './settings.js';

/**
 * The Strimzi cluster operator chart. Strimzi publishes its charts as OCI artifacts (the
 * https://strimzi.io/charts/ index is deprecated), and Helm takes an OCI chart as a full
 * reference, not through a repository URL. 1.2.0 is the current release: it serves only the
 * `kafka.strimzi.io/v1` API, runs KRaft with node pools only, and needs Kubernetes 1.30 or
 * newer. Its CRDs are not the chart's to install (`skipCrds`): Pulumi applies the release's
 * published CRD manifest (`ChartCrds`, docs/crds.md), so a bump here needs the new version's entry,
 * with its CRD manifest URL and served APIs, in policies/rules/kubernetes/charts/.
 */
export const STRIMZI_CHART = {
  chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
  version: '1.2.0',
} as const;

/**
 * Values of the operator chart: it watches only its own namespace, runs hardened, and makes
 * every pod it creates meet the restricted Pod Security Standard. Strimzi keeps generating the
 * NetworkPolicies its own components need to reach each other.
 */
/** The operator's container: memory requested and limited alike, as Strimzi recommends. */
export const STRIMZI_OPERATOR_RESOURCES = {
  requests: { cpu: '200m', memory: '384Mi' },
  limits: { cpu: '1', memory: '384Mi' },
};

export function strimziOperatorValues(labels: Readonly<Record<string, string>>) {
  return {
    replicas: 1,
    watchAnyNamespace: false,
    watchNamespaces: [],
    labels: { ...labels },
    deploymentLabels: { ...labels },
    resources: STRIMZI_OPERATOR_RESOURCES,
    podSecurityContext: POD_SECURITY_CONTEXT,
    securityContext: CONTAINER_SECURITY_CONTEXT,
    extraEnvs: [{ name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' }],
    generateNetworkPolicy: true,
  };
}
