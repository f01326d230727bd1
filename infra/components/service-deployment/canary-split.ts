import type { Scaling } from '../../../services/catalog/types.js';

/** A replica-ratio canary: pods of the new colour and of the live one, and the share that gives. */
export interface CanarySplit {
  readonly canary: number;
  readonly stable: number;
  /** The new colour's share of ready pods, in percent (rounded): what the load balancer gives it. */
  readonly percent: number;
}

/** The least pods of a colour during a canary: the production HPA policy's floor. */
const LEAST_PODS_PER_COLOUR = 2;

/**
 * How many pods of each colour carry `percent` of the traffic while the stable Service selects
 * both colours: the load balancer spreads requests over ready endpoints (container-native NEGs),
 * so the share is the ratio of pods. The total is the smallest count within the stack's scaling
 * bounds whose ratio comes closest to `percent`, with at least one pod of each colour; the realised
 * share is reported (staging's 1–3 pods give 33 % at best for 10 %). Neither colour runs fewer than
 * two pods, or the stack's minReplicas if lower: the production policy k8s-production-hpa wants two
 * per Deployment, so that one pod's loss never takes a colour down.
 * @throws Error when the bounds cannot hold the least pods of both colours.
 */
export function canarySplit(
  percent: number,
  scaling: Pick<Scaling, 'minReplicas' | 'maxReplicas'>,
): CanarySplit {
  const least = Math.min(LEAST_PODS_PER_COLOUR, scaling.minReplicas);
  if (scaling.maxReplicas < 2 * least) {
    throw new Error(
      `a canary needs ${2 * least} pods at least (${least} per colour), and maxReplicas is ${scaling.maxReplicas}`,
    );
  }
  let best: CanarySplit | undefined;
  let bestError = Number.POSITIVE_INFINITY;
  for (
    let total = Math.max(2 * least, scaling.minReplicas);
    total <= scaling.maxReplicas;
    total++
  ) {
    const canary = Math.min(total - least, Math.max(least, Math.round((total * percent) / 100)));
    const error = Math.abs(canary / total - percent / 100);
    if (error < bestError - 1e-9) {
      bestError = error;
      best = { canary, stable: total - canary, percent: Math.round((100 * canary) / total) };
    }
  }
  return best as CanarySplit;
}
