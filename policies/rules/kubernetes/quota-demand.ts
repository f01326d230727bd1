import * as k8s from '@pulumi/kubernetes';
import type { PolicyResource } from '@pulumi/policy';
import {
  type Compute,
  mebibytes,
  millicores,
} from '../../../infra/components/resource-quotas/index.js';
import { kindOf, nameOf, namespaceOf, objectsOf } from './objects.js';
import { type Container, type PodSpec, type PodTemplate, podTemplateOf } from './pod-templates.js';

/** One workload's share of its namespace's quota at max scale. */
export interface WorkloadDemand {
  /** `Deployment aia/aia-api-blue: 25 pods`. */
  readonly what: string;
  readonly namespace: string;
  readonly pods: number;
  readonly requests: Compute;
  readonly limits: Compute;
}

/** A LimitRange's container defaults, which the quota admission counts for what a container omits. */
export interface ContainerDefaults {
  readonly requests: Partial<Record<'cpu' | 'memory', string>>;
  readonly limits: Partial<Record<'cpu' | 'memory', string>>;
}

// biome-ignore lint/suspicious/noExplicitAny: workload inputs are untyped JSON
type Json = Record<string, any>;

const DEFAULT_SURGE = '25%';

/** `25%` of 20 → 5 (rounded up, as Kubernetes rounds a surge); `2` → 2. */
export function surgeOf(maxSurge: unknown, replicas: number): number {
  const text = String(maxSurge ?? DEFAULT_SURGE);
  const percent = /^(\d+)%$/.exec(text);
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(text) || 0;
}

/**
 * How many pods a workload may run at once: a Deployment at its HPA's maxReplicas (else its
 * replicas) plus its rolling update's surge; a StatefulSet its replicas (it rolls one pod at a
 * time); a Job its parallelism; a CronJob one Job (twice that unless `concurrencyPolicy: Forbid`,
 * as runs may overlap); a Pod one. DaemonSets follow the nodes and are not counted.
 */
function podsAtMaxScale(kind: string, props: Json, hpaMax: number | undefined): number {
  switch (kind) {
    case 'Deployment': {
      const replicas = hpaMax ?? props.spec?.replicas ?? 1;
      const strategy = props.spec?.strategy;
      const surge =
        strategy?.type === 'Recreate' ? 0 : surgeOf(strategy?.rollingUpdate?.maxSurge, replicas);
      return replicas + surge;
    }
    case 'StatefulSet':
    case 'ReplicaSet':
      return props.spec?.replicas ?? 1;
    case 'Job':
      return props.spec?.parallelism ?? 1;
    case 'CronJob': {
      const parallelism = props.spec?.jobTemplate?.spec?.parallelism ?? 1;
      return props.spec?.concurrencyPolicy === 'Forbid' ? parallelism : 2 * parallelism;
    }
    case 'Pod':
      return 1;
    default:
      return 0;
  }
}

/** A container's requests or limits as admission sees them, LimitRange defaults filled in. */
function containerCompute(
  container: Container,
  kind: 'requests' | 'limits',
  defaults: ContainerDefaults | undefined,
): Compute {
  const declared = container.resources ?? {};
  const amount = (resource: 'cpu' | 'memory') => {
    // A container with limits but no requests requests its limits.
    const value =
      declared[kind]?.[resource] ??
      (kind === 'requests' ? declared.limits?.[resource] : undefined) ??
      defaults?.[kind]?.[resource];
    if (value === undefined) return 0;
    return resource === 'cpu' ? millicores(String(value)) : mebibytes(String(value));
  };
  return { cpu: amount('cpu'), memory: amount('memory') };
}

/** Per resource, the larger of the containers' sum and the largest init container. */
export function podDemand(
  spec: PodSpec,
  kind: 'requests' | 'limits',
  defaults: ContainerDefaults | undefined,
): Compute {
  const of = (containers: readonly Container[] | undefined) =>
    (containers ?? []).map((container) => containerCompute(container, kind, defaults));
  const sum = of(spec.containers).reduce(
    (a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }),
    { cpu: 0, memory: 0 },
  );
  return of(spec.initContainers).reduce(
    (a, b) => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) }),
    sum,
  );
}

/** Namespace → the container defaults of its LimitRange (the first `Container` entry). */
export function containerDefaults(
  resources: readonly PolicyResource[],
): Map<string, ContainerDefaults> {
  const found = new Map<string, ContainerDefaults>();
  for (const { props } of objectsOf(resources, k8s.core.v1.LimitRange)) {
    const entry = props.spec?.limits?.find((limit) => limit.type === 'Container');
    if (!entry) continue;
    found.set(namespaceOf(props.metadata), {
      requests: (entry.defaultRequest ?? {}) as ContainerDefaults['requests'],
      limits: (entry.default ?? {}) as ContainerDefaults['limits'],
    });
  }
  return found;
}

/** A workload with a pod template, and how many of its pods may run at once at max scale. */
export interface ScaledWorkload {
  readonly resource: PolicyResource;
  readonly template: PodTemplate;
  readonly namespace: string;
  readonly pods: number;
}

/**
 * Every workload the program declares with the pods it may run at once: a Deployment at its
 * HPA's maxReplicas plus its rolling update's surge, a Job its parallelism, and so on
 * (`podsAtMaxScale`). Workloads that run no pod (DaemonSets) are left out.
 */
export function workloadsAtMaxScale(resources: readonly PolicyResource[]): ScaledWorkload[] {
  const hpaMax = new Map<string, number>();
  for (const { props } of objectsOf(
    resources,
    k8s.autoscaling.v2.HorizontalPodAutoscaler,
    k8s.autoscaling.v1.HorizontalPodAutoscaler,
  )) {
    const target = props.spec?.scaleTargetRef;
    if (target?.kind !== 'Deployment' || props.spec?.maxReplicas === undefined) continue;
    hpaMax.set(`${namespaceOf(props.metadata)}/${target.name}`, props.spec.maxReplicas);
  }
  return resources.flatMap((resource) => {
    const { type, name, props } = resource;
    const template: PodTemplate | undefined = podTemplateOf(type, props, name);
    if (!template) return [];
    const metadata = (props as Json).metadata;
    const namespace = namespaceOf(metadata);
    const pods = podsAtMaxScale(
      kindOf(type),
      props as Json,
      hpaMax.get(`${namespace}/${nameOf(metadata, name)}`),
    );
    return pods === 0 ? [] : [{ resource, template, namespace, pods }];
  });
}

/** Every workload the program declares, at max scale: what it counts against its namespace's quota. */
export function workloadDemands(resources: readonly PolicyResource[]): WorkloadDemand[] {
  const defaults = containerDefaults(resources);
  return workloadsAtMaxScale(resources).map(({ template, namespace, pods }) => {
    const perPod = (measure: 'requests' | 'limits') =>
      podDemand(template.spec, measure, defaults.get(namespace));
    const scale = (a: Compute) => ({ cpu: a.cpu * pods, memory: a.memory * pods });
    return {
      what: `${template.object}: ${pods} pod${pods === 1 ? '' : 's'}`,
      namespace,
      pods,
      requests: scale(perPod('requests')),
      limits: scale(perPod('limits')),
    };
  });
}
