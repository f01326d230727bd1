import type { Database } from '../../../platform/db.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { EpochContext } from '../operations/epoch-context.js';
import { settleEpochs } from '../operations/settle-epochs.js';

/** Runs payout passes, each in its own transaction as the worker does, until one is idle. */
export async function settleUntilIdle(context: EpochContext, maxPasses = 20): Promise<number> {
  for (let pass = 1; pass <= maxPasses; pass++) {
    const result = await inTransaction(context.sql, (tx: Database) =>
      settleEpochs(tx, { ...context, sql: tx }),
    );
    if (result !== 'more') return pass;
  }
  throw new Error(`still busy after ${maxPasses} passes`);
}

/** One payout pass (builds due tables, or pays pending ones). */
export const settleOnce = (context: EpochContext) =>
  inTransaction(context.sql, (tx: Database) => settleEpochs(tx, { ...context, sql: tx }));
