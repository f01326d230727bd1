import { mebibytes, millicores } from './quantities.js';

/** CPU in millicores and memory in MiB. */
export interface Compute {
  readonly cpu: number;
  readonly memory: number;
}

/** A container's requests and limits as Kubernetes quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** What one pod asks for: its containers, and init containers (which run before, one at a time). */
export interface PodShape {
  readonly containers: readonly ContainerResources[];
  readonly initContainers?: readonly ContainerResources[];
}

/** One line of a namespace's budget: `pods` pods of one shape, and why that many. */
export interface BudgetItem {
  /** `aia-api (blue, green): 2 × (20 + 5 surge)`. */
  readonly what: string;
  readonly pods: number;
  readonly requests: Compute;
  readonly limits: Compute;
  /** The largest container limits of the shape (for the LimitRange's per-container max). */
  readonly largestContainer: Compute;
}

/** A namespace's needs at max scale: the sum of its items. */
export interface NamespaceBudget {
  readonly items: readonly BudgetItem[];
  readonly pods: number;
  readonly requests: Compute;
  readonly limits: Compute;
  readonly largestContainer: Compute;
}

const amounts = (quantities: { readonly cpu: string; readonly memory: string }): Compute => ({
  cpu: millicores(quantities.cpu),
  memory: mebibytes(quantities.memory),
});
const add = (a: Compute, b: Compute): Compute => ({
  cpu: a.cpu + b.cpu,
  memory: a.memory + b.memory,
});
const larger = (a: Compute, b: Compute): Compute => ({
  cpu: Math.max(a.cpu, b.cpu),
  memory: Math.max(a.memory, b.memory),
});
const times = (a: Compute, n: number): Compute => ({ cpu: a.cpu * n, memory: a.memory * n });
const NOTHING: Compute = { cpu: 0, memory: 0 };

/**
 * What one pod counts against a quota, as the scheduler and the quota admission count it: per
 * resource, the larger of the containers' sum and the largest init container.
 */
export function podCompute(shape: PodShape, kind: 'requests' | 'limits'): Compute {
  const sum = shape.containers.map((c) => amounts(c[kind])).reduce(add, NOTHING);
  const init = (shape.initContainers ?? []).map((c) => amounts(c[kind])).reduce(larger, NOTHING);
  return larger(sum, init);
}

/** `pods` pods of `shape`. */
export function budgetItem(what: string, pods: number, shape: PodShape): BudgetItem {
  const all = [...shape.containers, ...(shape.initContainers ?? [])];
  return {
    what,
    pods,
    requests: times(podCompute(shape, 'requests'), pods),
    limits: times(podCompute(shape, 'limits'), pods),
    largestContainer: all.map((c) => amounts(c.limits)).reduce(larger, NOTHING),
  };
}

export function namespaceBudget(items: readonly BudgetItem[]): NamespaceBudget {
  return {
    items,
    pods: items.reduce((sum, item) => sum + item.pods, 0),
    requests: items.map((item) => item.requests).reduce(add, NOTHING),
    limits: items.map((item) => item.limits).reduce(add, NOTHING),
    largestContainer: items.map((item) => item.largestContainer).reduce(larger, NOTHING),
  };
}
