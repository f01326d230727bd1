import { Counter, type Registry } from 'prom-client';

/**
 * What became of one attempt at a push notification: `delivered` (2xx), `retried` (a 408, 429,
 * 5xx, timeout or network failure; sent again later), `rejected` (another answer: not sent
 * again), `refused` (the webhook's address is not called), `gave_up` (the last attempt failed).
 */
export type PushOutcome = 'delivered' | 'retried' | 'rejected' | 'refused' | 'gave_up';

const OUTCOMES: readonly PushOutcome[] = ['delivered', 'retried', 'rejected', 'refused', 'gave_up'];

/** `agent_push_deliveries_total{outcome}` in the module's registry, every outcome at zero. */
export function createPushMetrics(registry: Registry) {
  const deliveries = new Counter({
    name: 'agent_push_deliveries_total',
    help: 'Attempts at A2A push notifications by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of OUTCOMES) deliveries.inc({ outcome }, 0);
  return { attempted: (outcome: PushOutcome) => deliveries.inc({ outcome }) };
}
