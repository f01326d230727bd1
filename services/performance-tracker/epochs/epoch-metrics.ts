import { Counter, type Registry } from 'prom-client';
import { type EpochMetrics, PAYOUT_OUTCOMES } from './operations/epoch-context.js';

/** Declared in the catalog (definition.ts), so every outcome exists from zero. */
export const EPOCH_PAYOUTS_METRIC = 'performance_epoch_payouts_total';
const PAID_AIA_METRIC = 'performance_epoch_paid_aia_total';

/**
 * The epoch metrics on the tracker's registry: `performance_epoch_payouts_total{outcome}`
 * (paid, skipped_empty, refused; retried counts attempts that failed for a transient reason)
 * and `performance_epoch_paid_aia_total`, the AIA epochs paid out (a float for dashboards: the
 * ledger holds the exact amounts). Uses the catalog's counter when it declared one.
 */
export function createEpochMetrics(registry: Registry): EpochMetrics {
  const declared = registry.getSingleMetric(EPOCH_PAYOUTS_METRIC);
  const payouts =
    declared instanceof Counter
      ? (declared as Counter<'outcome'>)
      : new Counter({
          name: EPOCH_PAYOUTS_METRIC,
          help: 'Epoch payouts by outcome: paid, skipped_empty, refused, retried (a transient failure)',
          labelNames: ['outcome'],
          registers: [registry],
        });
  for (const outcome of PAYOUT_OUTCOMES) payouts.inc({ outcome }, 0);
  const paidAia =
    (registry.getSingleMetric(PAID_AIA_METRIC) as Counter | undefined) ??
    new Counter({
      name: PAID_AIA_METRIC,
      help: 'AIA paid out to agents by epoch reward distributions',
      registers: [registry],
    });
  return { payouts, paidAia };
}
