import type { Scaling } from '../../../services/catalog/types.js';

/** A replica-ratio canary: pods of the new colour and of the live one, and the share that gives. */
export interface CanarySplit {
  readonly canary: number;
  readonly stable: number;
  /** The new colour's share of ready pods, in percent (rounded): what the load balancer gives it. */
  readonly percent: number;
}

/**
 * How many pods of each colour carry `percent` of the traffic while the stable Service selects
 * both colours: the load balancer spreads requests over ready endpoints (container-native NEGs),
 * so the share is the ratio of pods. The total is the smallest count within the stack's scaling
 * bounds whose ratio comes closest to `percent`, with at least one pod of each colour; the realised
 * share is reported (staging's 1–3 pods give 33 % at best for 10 %).
 * @throws Error when the bounds cannot hold two pods.
 */
export function canarySplit(
  percent: number,
  scaling: Pick<Scaling, 'minReplicas' | 'maxReplicas'>,
): CanarySplit {
  if (scaling.maxReplicas < 2) {
    throw new Error(
      `a canary needs two pods at least (one per colour), and maxReplicas is ${scaling.maxReplicas}`,
    );
  }
  let best: CanarySplit | undefined;
  let bestError = Number.POSITIVE_INFINITY;
  for (let total = Math.max(2, scaling.minReplicas); total <= scaling.maxReplicas; total++) {
    const canary = Math.min(total - 1, Math.max(1, Math.round((total * percent) / 100)));
    const error = Math.abs(canary / total - percent / 100);
    if (error < bestError - 1e-9) {
      bestError = error;
      best = { canary, stable: total - canary, percent: Math.round((100 * canary) / total) };
    }
  }
  return best as CanarySplit;
}
