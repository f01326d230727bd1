import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { MAX_SURGE_PERCENT } from '../service-deployment/index.js';
import { type BudgetItem, budgetItem, type NamespaceBudget, namespaceBudget } from './budget.js';

/** Extra pods a rolling update of `replicas` may start: the surge, rounded up as Kubernetes does. */
export const surgePods = (replicas: number): number =>
  Math.ceil((replicas * MAX_SURGE_PERCENT) / 100);

/**
 * What one catalog service may run at once on `stack`, each pod with the catalog's requests and
 * limits:
 *
 *   deployments = 2 for a blue-green service (both colours at full size), else 1
 *   pods        = deployments × (maxReplicas + ceil(maxReplicas × 25 %))   the HPA's ceiling and a rolling update's surge
 *               + deployments                                               when it migrates: one Job per image, one pod each
 */
export function serviceBudgetItems(definition: ServiceDefinition, stack: StackName): BudgetItem[] {
  const deployments = definition.rollout === 'blue-green' ? 2 : 1;
  const { maxReplicas } = definition.scaling[stack];
  const shape = { containers: [definition.resources[stack]] };
  const colours = deployments > 1 ? `${deployments} colours × ` : '';
  const items = [
    budgetItem(
      `${definition.name}: ${colours}(${maxReplicas} max replicas + ${surgePods(maxReplicas)} surge)`,
      deployments * (maxReplicas + surgePods(maxReplicas)),
      shape,
    ),
  ];
  if (definition.migrations) {
    items.push(budgetItem(`${definition.name} migrate Jobs: ${deployments}`, deployments, shape));
  }
  return items;
}

/** The services' namespace: every catalog service at its ceiling, surging, migrating. */
export function servicesBudget(
  definitions: readonly ServiceDefinition[],
  stack: StackName,
): NamespaceBudget {
  return namespaceBudget(
    definitions.flatMap((definition) => serviceBudgetItems(definition, stack)),
  );
}
