export {
  type BudgetItem,
  budgetItem,
  type Compute,
  type ContainerResources,
  type NamespaceBudget,
  namespaceBudget,
  type PodShape,
  podCompute,
} from './budget.js';
export { DEFAULT_CONTAINER_RESOURCES, limitRangeSpec } from './limit-range.js';
export { NamespaceLimits, type NamespaceLimitsArgs } from './namespace-limits.js';
export { type PlatformWorkloadSizes, platformBudgets } from './platform-budgets.js';
export { type QosClass, qosClass } from './qos-class.js';
export { cpuQuantity, mebibytes, memoryQuantity, millicores } from './quantities.js';
export { LIMIT_RANGE_NAME, RESOURCE_QUOTA_NAME, resourceQuotaSpec } from './resource-quota.js';
export { serviceBudgetItems, servicesBudget, surgePods } from './service-budget.js';
export { NAMESPACE_CONCERNS, type NamespaceConcern, stackBudgets } from './stack-budgets.js';
