import type { Compute, ContainerResources } from './budget.js';
import { cpuQuantity, mebibytes, memoryQuantity, millicores } from './quantities.js';

/**
 * What a container that declares no resources gets from its namespace's LimitRange: enough for a
 * chart's small helper (an init step, a sidecar), so a quota, which refuses pods without
 * requests and limits, never refuses one of them.
 */
export const DEFAULT_CONTAINER_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
};

/**
 * The LimitRange of a namespace: defaults for containers that declare none, and a per-container
 * max, the largest container the namespace's budget holds, so no single container can take more
 * than the budget planned for.
 */
export function limitRangeSpec(largestContainer: Compute) {
  const defaults = DEFAULT_CONTAINER_RESOURCES;
  // The max may not be below the default (the API server refuses such a LimitRange).
  const max = {
    cpu: Math.max(largestContainer.cpu, millicores(defaults.limits.cpu)),
    memory: Math.max(largestContainer.memory, mebibytes(defaults.limits.memory)),
  };
  return {
    limits: [
      {
        type: 'Container',
        defaultRequest: { ...defaults.requests },
        default: { ...defaults.limits },
        max: { cpu: cpuQuantity(max.cpu), memory: memoryQuantity(max.memory) },
      },
    ],
  };
}
