import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import type { NamespaceBudget } from './budget.js';
import { type PlatformWorkloadSizes, platformBudgets } from './platform-budgets.js';
import { servicesBudget } from './service-budget.js';

/** Concerns whose namespaces the program owns (as `PlatformNamespaces` keys them). */
export const NAMESPACE_CONCERNS = ['services', 'data', 'kafka', 'monitoring', 'ingress'] as const;
export type NamespaceConcern = (typeof NAMESPACE_CONCERNS)[number];

/** Every owned namespace's budget at max scale on `stack`: the catalog's services and the platform's workloads. */
export function stackBudgets(
  stack: StackName,
  definitions: readonly ServiceDefinition[],
  sizes: PlatformWorkloadSizes,
): Record<NamespaceConcern, NamespaceBudget> {
  return { services: servicesBudget(definitions, stack), ...platformBudgets(stack, sizes) };
}
