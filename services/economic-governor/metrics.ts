import { Counter, Histogram, type Registry } from 'prom-client';
import type { TransferResult } from './domain/types.js';

/** Latency of ledger operations, in seconds: a transfer commits in milliseconds, a batch in tenths. */
export const LEDGER_DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export interface LedgerMetrics {
  /** Counts each transfer of an operation by ledger and result. */
  countResults(ledger: string, results: readonly TransferResult[]): void;
  /** Counts transfers that an error (not a rule) stopped. */
  countFailed(ledger: string, transfers: number): void;
  /** Starts the latency timer of one operation; call the result when it ends. */
  startTimer(operation: string): (outcome: 'committed' | 'rejected' | 'failed') => void;
}

/**
 * The ledger's metrics on a service registry, created once.
 * `token_transactions_total{ledger,result}` is declared in the catalog (the kit registers it at
 * zero); `token_operation_duration_seconds{operation,outcome}` is the ledger's latency histogram.
 */
export function createLedgerMetrics(registry: Registry): LedgerMetrics {
  const transactions = registry.getSingleMetric('token_transactions_total');
  if (!(transactions instanceof Counter)) {
    throw new Error('token_transactions_total is not registered: is it declared in the catalog?');
  }
  const duration = new Histogram({
    name: 'token_operation_duration_seconds',
    help: 'Duration of ledger operations (transaction included) by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: LEDGER_DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    countResults(ledger, results) {
      let committed = 0;
      let rejected = 0;
      for (const result of results) {
        if (result.status === 'failed') rejected++;
        else if (result.status === 'created') committed++;
      }
      if (committed) transactions.inc({ ledger, result: 'committed' }, committed);
      if (rejected) transactions.inc({ ledger, result: 'rejected' }, rejected);
    },
    countFailed(ledger, transfers) {
      transactions.inc({ ledger, result: 'failed' }, transfers);
    },
    startTimer(operation) {
      const end = duration.startTimer({ operation });
      return (outcome) => end({ outcome });
    },
  };
}
