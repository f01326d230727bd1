import type { LeaderWorker } from '../../../platform/workers.js';
import type { EpochContext } from '../operations/epoch-context.js';
import { settleEpochs } from '../operations/settle-epochs.js';

/**
 * Builds each epoch's payout table once it has ended and settled, and pays pending epochs, on one
 * replica at a time, every `intervalMs` (default 30 s): an epoch is paid within about that long
 * after its settle delay. A second replica skips its runs; one that takes over pays nothing twice
 * (the stored status, and the ledger's idempotency by distribution id).
 */
export const epochPayout = ({
  intervalMs = 30_000,
  ...context
}: EpochContext & { intervalMs?: number }): LeaderWorker => ({
  name: 'epoch-payout',
  intervalMs,
  leader: { sql: context.sql, lock: 'aia:performance-tracker:epoch-payout' },
  run: (tx) => settleEpochs(tx, { ...context, sql: tx }),
});
