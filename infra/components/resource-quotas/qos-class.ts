import { mebibytes, millicores } from './quantities.js';

/** The Kubernetes QoS class of a pod: what the kubelet evicts first under memory pressure. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface ContainerLike {
  readonly resources?: {
    readonly requests?: Readonly<Record<string, unknown>>;
    readonly limits?: Readonly<Record<string, unknown>>;
  };
}

/** `2` and `2000m` are the same CPU. */
function same(resource: 'cpu' | 'memory', a: string, b: string): boolean {
  try {
    const amount = resource === 'cpu' ? millicores : mebibytes;
    return amount(a) === amount(b);
  } catch {
    return a === b;
  }
}

/**
 * As the API server assigns it: Guaranteed when every container (init containers included) has
 * CPU and memory limits and its requests equal them (a request left out defaults to the limit);
 * BestEffort when no container requests or limits anything; Burstable otherwise.
 */
export function qosClass(pod: {
  readonly containers?: readonly ContainerLike[];
  readonly initContainers?: readonly ContainerLike[];
}): QosClass {
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const declares = (c: ContainerLike) =>
    Object.keys(c.resources?.requests ?? {}).length +
      Object.keys(c.resources?.limits ?? {}).length >
    0;
  if (!containers.some(declares)) return 'BestEffort';
  const guaranteed = containers.every((c) =>
    (['cpu', 'memory'] as const).every((resource) => {
      const limit = c.resources?.limits?.[resource];
      const request = c.resources?.requests?.[resource] ?? limit;
      return limit !== undefined && same(resource, String(request), String(limit));
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
