import { type StackName, catalog as serviceCatalog } from '../../../services/catalog.js';
import type { Catalog } from './catalog.js';
import type { Dashboard } from './dashboard.js';
import { outcomeDashboard } from './outcome-dashboard.js';

/** Titles of the panels of the token economy dashboard. */
export const TOKEN_PANELS = {
  rate: 'Token transactions by ledger and result',
  failures: 'Token transaction failure ratio',
} as const;

/**
 * Token transactions of the services that set `tokenTransactionFailurePercent`: rate by ledger
 * and result, and the share that failed (`result="failed"`; a rejection is an answer, not a
 * failure) against that threshold.
 */
export function tokenEconomyDashboard(
  stack: StackName,
  catalog: Catalog = serviceCatalog,
): Dashboard {
  return outcomeDashboard({
    name: 'aia-token-economy',
    title: 'AIA Platform — token economy',
    description: 'AIA and AIA_GOV ledger transactions: committed, rejected and failed.',
    stack,
    catalog,
    tags: ['token-economy'],
    metric: 'token_transactions_total',
    outcome: { label: 'result', failed: 'failed' },
    breakdown: ['ledger'],
    threshold: 'tokenTransactionFailurePercent',
    panels: TOKEN_PANELS,
    events: 'Transactions',
  });
}
