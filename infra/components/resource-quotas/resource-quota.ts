import type { NamespaceBudget } from './budget.js';
import { cpuQuantity, memoryQuantity } from './quantities.js';

/** The ResourceQuota's name in every namespace the program owns. */
export const RESOURCE_QUOTA_NAME = 'compute';
/** The LimitRange's name in every namespace the program owns. */
export const LIMIT_RANGE_NAME = 'container-defaults';

/**
 * A namespace's ResourceQuota: exactly its budget at max scale (pods, requests, limits). A pod
 * beyond it is refused at admission, so a quota smaller than the budget would stall a rollout;
 * the policy `k8s-namespace-quota-fits` checks the plan's workloads against it before an update.
 */
export function resourceQuotaSpec(budget: NamespaceBudget) {
  return {
    hard: {
      pods: String(budget.pods),
      'requests.cpu': cpuQuantity(budget.requests.cpu),
      'requests.memory': memoryQuantity(budget.requests.memory),
      'limits.cpu': cpuQuantity(budget.limits.cpu),
      'limits.memory': memoryQuantity(budget.limits.memory),
    },
  };
}
