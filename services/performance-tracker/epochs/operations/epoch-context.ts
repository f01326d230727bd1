import type { Counter } from 'prom-client';
import type { Database } from '../../../platform/db.js';
import type { EpochSettings } from '../settings.js';
import type { AgentAccounts } from './agent-accounts.js';
import type { RewardLedger } from './reward-ledger.js';

/** What the epoch operations work with. */
export interface EpochContext {
  readonly sql: Database;
  readonly settings: EpochSettings;
  readonly ledger: RewardLedger;
  readonly accounts: AgentAccounts;
  /** Metrics, when the service exports them (tests may leave them out). */
  readonly metrics?: EpochMetrics;
  /** The clock (tests move it). Default the system's. */
  readonly now?: () => Date;
}

/** How a payout attempt ended (`performance_epoch_payouts_total{outcome}`). */
export const PAYOUT_OUTCOMES = ['paid', 'skipped_empty', 'refused', 'retried'] as const;
export type PayoutOutcome = (typeof PAYOUT_OUTCOMES)[number];

/** The epoch metrics (see epoch-metrics.ts). */
export interface EpochMetrics {
  /** `performance_epoch_payouts_total{outcome}`: epochs paid, skipped, refused; attempts retried. */
  readonly payouts: Counter<'outcome'>;
  /** `performance_epoch_paid_aia_total`: AIA paid out by epochs (for dashboards; the ledger is exact). */
  readonly paidAia: Counter;
}

export const nowOf = (context: Pick<EpochContext, 'now'>): Date => context.now?.() ?? new Date();
