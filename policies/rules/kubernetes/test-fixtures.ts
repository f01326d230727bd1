import { planned } from '../../../test/harness/policy-fixtures.js';
import type { Container, PodSpec } from './pod-templates.js';

/** Test fixtures: hardened objects as a plan holds them, to be mutated one fault at a time. */

export const NAMESPACE = 'apps';
export const APP = 'economic-governor';
const LABELS = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/part-of': 'aia-platform' };

export const TYPES = {
  namespace: 'kubernetes:core/v1:Namespace',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  deployment: 'kubernetes:apps/v1:Deployment',
  statefulSet: 'kubernetes:apps/v1:StatefulSet',
  daemonSet: 'kubernetes:apps/v1:DaemonSet',
  job: 'kubernetes:batch/v1:Job',
  cronJob: 'kubernetes:batch/v1:CronJob',
  pdb: 'kubernetes:policy/v1:PodDisruptionBudget',
  hpa: 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
  service: 'kubernetes:core/v1:Service',
  secret: 'kubernetes:core/v1:Secret',
  release: 'kubernetes:helm.sh/v3:Release',
  chart: 'kubernetes:helm.sh/v4:Chart',
  resourceQuota: 'kubernetes:core/v1:ResourceQuota',
  limitRange: 'kubernetes:core/v1:LimitRange',
  vpa: 'kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler',
} as const;

export const urnOf = (type: string, name: string) =>
  `urn:pulumi:production::aia-platform::${type}::${name}`;

export function hardenedContainer(name = 'app', { probes = true } = {}): Container {
  const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10 });
  return {
    name,
    image: `europe-west1-docker.pkg.dev/aia-prod/services/${APP}:1.4.2`,
    ports: [{ name: 'http', containerPort: 8080 }],
    resources: {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    },
    ...(probes ? { livenessProbe: probe('/healthz'), readinessProbe: probe('/readyz') } : {}),
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

export function hardenedPodSpec({ probes = true } = {}): PodSpec {
  return {
    serviceAccountName: APP,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: [{ ...hardenedContainer('migrate', { probes: false }), args: ['migrate'] }],
    containers: [hardenedContainer('app', { probes })],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}

/** Applies `mutate` to a fresh hardened pod spec and to its `app` container. */
export function podSpecWith(
  mutate: (pod: PodSpec, app: Container) => void = () => {},
  options: { probes?: boolean } = {},
): PodSpec {
  const pod = hardenedPodSpec(options);
  const [app] = pod.containers;
  if (!app) throw new Error('the hardened pod spec has an app container');
  mutate(pod, app);
  return pod;
}

const metadata = (name: string, namespace = NAMESPACE) => ({ name, namespace, labels: LABELS });
const template = (spec: PodSpec) => ({ metadata: { labels: LABELS }, spec });

export const deployment = (spec: PodSpec = hardenedPodSpec(), name = APP, namespace = NAMESPACE) =>
  planned(TYPES.deployment, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(name, namespace),
    spec: { selector: { matchLabels: LABELS }, template: template(spec) },
  });

export const statefulSet = (spec: PodSpec, name = 'neo4j') =>
  planned(TYPES.statefulSet, name, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(name, 'data'),
    spec: { serviceName: name, selector: { matchLabels: LABELS }, template: template(spec) },
  });

export const daemonSet = (spec: PodSpec, name = 'node-agent') =>
  planned(TYPES.daemonSet, name, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: metadata(name, 'monitoring'),
    spec: { selector: { matchLabels: LABELS }, template: template(spec) },
  });

export const job = (spec: PodSpec, name = `${APP}-migrate`) =>
  planned(TYPES.job, name, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(name),
    spec: { backoffLimit: 2, template: template({ ...spec, restartPolicy: 'Never' }) },
  });

export const cronJob = (spec: PodSpec, name = 'neo4j-backup') =>
  planned(TYPES.cronJob, name, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: metadata(name, 'data'),
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: template({ ...spec, restartPolicy: 'OnFailure' }) } },
    },
  });

export const pdb = ({ name = APP, namespace = NAMESPACE, selector = {} as object } = {}) =>
  planned(TYPES.pdb, name, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(name, namespace),
    spec: { maxUnavailable: 1, selector: { matchLabels: LABELS, ...selector } },
  });

export const hpa = ({ name = APP, target = APP, spec = {} as object } = {}) =>
  planned(TYPES.hpa, name, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
      ...spec,
    },
  });

export const namespace = (name = NAMESPACE) =>
  planned(TYPES.namespace, name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

export const defaultDeny = (namespaceName = NAMESPACE, spec: object = {}) =>
  planned(TYPES.networkPolicy, `${namespaceName}-default-deny`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: namespaceName },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ...spec },
  });

export const service = ({
  name = APP,
  namespace = NAMESPACE,
  type = 'ClusterIP',
  labels = {},
} = {}) =>
  planned(TYPES.service, name, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { ...LABELS, ...labels } },
    spec: { type, selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });

export const secret = (values: Record<string, string> = { DATABASE_URL: '[secret]' }) =>
  planned(TYPES.secret, `${APP}-env`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${APP}-env`, namespace: NAMESPACE },
    type: 'Opaque',
    stringData: values,
  });

export const release = (inputs: Record<string, unknown> = {}) =>
  planned(TYPES.release, 'kube-prometheus-stack', {
    name: 'kube-prometheus-stack',
    namespace: 'monitoring',
    chart: 'kube-prometheus-stack',
    version: '65.1.0',
    repositoryOpts: { repo: 'https://prometheus-community.github.io/helm-charts' },
    ...inputs,
  });

export const vpa = ({ name = APP, target = APP, updateMode = 'Off' as string | null } = {}) =>
  planned(TYPES.vpa, name, {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: metadata(name),
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      // null: no updatePolicy at all.
      ...(updateMode === null ? {} : { updatePolicy: { updateMode } }),
    },
  });

/**
 * The quota `deployment()` and `hpa()` need: 6 max replicas + 2 surge = 8 pods of 250m / 256Mi
 * requested, 1 / 512Mi limited.
 */
export const FITTING_QUOTA = {
  pods: '8',
  'requests.cpu': '2',
  'requests.memory': '2Gi',
  'limits.cpu': '8',
  'limits.memory': '4Gi',
};

export const resourceQuota = (
  hard: Record<string, string> = FITTING_QUOTA,
  namespace = NAMESPACE,
) =>
  planned(TYPES.resourceQuota, `${namespace}-quota`, {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'compute', namespace },
    spec: { hard },
  });

export const limitRange = (namespace = NAMESPACE) =>
  planned(TYPES.limitRange, `${namespace}-limit-range`, {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: '100m', memory: '128Mi' },
          default: { cpu: '500m', memory: '512Mi' },
          max: { cpu: '4', memory: '8Gi' },
        },
      ],
    },
  });
