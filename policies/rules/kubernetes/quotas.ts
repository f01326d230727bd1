import * as k8s from '@pulumi/kubernetes';
import type { StackValidationPolicy } from '@pulumi/policy';
import {
  cpuQuantity,
  mebibytes,
  memoryQuantity,
  millicores,
} from '../../../infra/components/resource-quotas/index.js';
import { describe, namespaceOf, objectsOf } from './objects.js';
import { type WorkloadDemand, workloadDemands } from './quota-demand.js';
import { HELM_RELEASE } from './stack-objects.js';

/** The quota entries checked, how to read them, and the demand each bounds. */
const CHECKED = [
  { key: 'pods', read: Number, show: String, of: (d: WorkloadDemand) => d.pods },
  {
    key: 'requests.cpu',
    read: millicores,
    show: cpuQuantity,
    of: (d: WorkloadDemand) => d.requests.cpu,
  },
  {
    key: 'requests.memory',
    read: mebibytes,
    show: memoryQuantity,
    of: (d: WorkloadDemand) => d.requests.memory,
  },
  {
    key: 'limits.cpu',
    read: millicores,
    show: cpuQuantity,
    of: (d: WorkloadDemand) => d.limits.cpu,
  },
  {
    key: 'limits.memory',
    read: mebibytes,
    show: memoryQuantity,
    of: (d: WorkloadDemand) => d.limits.memory,
  },
] as const;

export const namespaceQuotaFits: StackValidationPolicy = {
  name: 'k8s-namespace-quota-fits',
  description:
    'Every namespace the stack creates that runs workloads has a ResourceQuota and a LimitRange, and the quota holds its workloads at max scale: Deployments at their HPA maxReplicas plus the rolling-update surge, StatefulSets, Jobs (migrations) and CronJobs, with LimitRange defaults for containers that declare nothing.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    let demands: WorkloadDemand[];
    try {
      demands = workloadDemands(resources);
    } catch (error) {
      report(`cannot size the workloads against their quotas: ${(error as Error).message}.`);
      return;
    }
    const quotas = objectsOf(resources, k8s.core.v1.ResourceQuota);
    const limitRanges = objectsOf(resources, k8s.core.v1.LimitRange);
    const busy = new Set([
      ...demands.map((demand) => demand.namespace),
      ...resources
        .filter((resource) => resource.type === HELM_RELEASE)
        .map((resource) => String(resource.props.namespace ?? 'default')),
    ]);
    for (const { urn, name, props } of objectsOf(resources, k8s.core.v1.Namespace)) {
      const namespace = props.metadata?.name ?? name;
      if (!busy.has(namespace)) continue;
      const has = (objects: typeof quotas | typeof limitRanges) =>
        objects.some((object) => namespaceOf(object.props.metadata) === namespace);
      if (!has(quotas)) {
        report(
          `Namespace ${namespace} runs workloads but has no ResourceQuota: add one sized from its workloads at max scale (components/resource-quotas derives it).`,
          urn,
        );
      }
      if (!has(limitRanges)) {
        report(
          `Namespace ${namespace} runs workloads but has no LimitRange: add one with default requests and limits for containers that declare none, or a quota refuses their pods.`,
          urn,
        );
      }
    }
    for (const { urn, name, props } of quotas) {
      const namespace = namespaceOf(props.metadata);
      const inNamespace = demands.filter((demand) => demand.namespace === namespace);
      const hard = (props.spec?.hard ?? {}) as Record<string, string | number>;
      for (const { key, read, show, of } of CHECKED) {
        const value = hard[key];
        if (value === undefined) continue;
        let allowed: number;
        try {
          allowed = read(String(value));
        } catch (error) {
          report(
            `${describe('ResourceQuota', props.metadata, name)}: cannot read spec.hard['${key}']: ${(error as Error).message}.`,
            urn,
          );
          continue;
        }
        const needed = inNamespace.reduce((sum, demand) => sum + of(demand), 0);
        if (allowed >= needed) continue;
        const by = inNamespace.map((demand) => `${demand.what} ${show(of(demand))}`).join('; ');
        report(
          `${describe('ResourceQuota', props.metadata, name)} allows ${key} ${show(allowed)} but the namespace's workloads need ${show(needed)} at max scale (${by}): raise spec.hard['${key}'] to at least ${show(needed)}, or pods are refused mid-rollout.`,
          urn,
        );
      }
    }
  },
};
