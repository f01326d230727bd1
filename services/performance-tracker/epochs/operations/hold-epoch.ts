import type { Database } from '../../../platform/db.js';
import { AppError, NotFoundError } from '../../../platform/errors.js';
import { inTransaction } from '../../../platform/transactions.js';
import { epochSpan, lastSettledEpoch } from '../domain/epoch-clock.js';
import {
  type EpochRow,
  findEpoch,
  holdEpoch,
  lastBuiltEpoch,
  releaseEpoch,
} from '../repository/epoch-store.js';
import { type EpochContext, nowOf } from './epoch-context.js';

const HTTP_CONFLICT = 409;

const notInState = (epoch: number, status: string, action: string) =>
  new AppError(
    HTTP_CONFLICT,
    'epoch_not_holdable',
    `epoch ${epoch} is ${status.replace('_', ' ')}: it cannot be ${action}`,
    { extensions: { errors: [{ field: 'n', reason: `epoch is ${status}` }] } },
  );

const beforeFirstPayout = (epoch: number, first: number) =>
  new AppError(
    HTTP_CONFLICT,
    'epoch_not_holdable',
    `epoch ${epoch} comes before the tracker's first payout (epoch ${first}): it is never paid, so it cannot be held`,
    { extensions: { errors: [{ field: 'n', reason: `must be ${first} or later` }] } },
  );

/** The epoch's row after a change, read in the same transaction. */
async function reread(tx: Database, epoch: number): Promise<EpochRow> {
  const row = await findEpoch(tx, epoch);
  if (!row) throw new Error(`epoch ${epoch} vanished inside its own transaction`);
  return row;
}

/**
 * Holds epoch `epoch` for `by`: it is not paid until released. An epoch not built yet (the
 * current one, or a later one) is held ahead of its end; a pending one is held before the payer
 * reaches it (the payer locks the row, so a hold waits for a payment under way and then finds it
 * paid: 409). Holding a held epoch again changes only who holds it. 404 for an epoch before the
 * tracker's first payout (never built); 409 for one paid, skipped or refused. Before any table
 * was built, the first payout will be the last settled epoch (or a later one): an epoch before
 * that one is never paid, and holding it is a 409 (held, it would be built and paid on release).
 */
export function holdEpochFor(context: EpochContext, epoch: number, by: string): Promise<EpochRow> {
  return inTransaction(context.sql, async (tx) => {
    const row = await findEpoch(tx, epoch, { lock: true });
    if (!row) {
      const last = await lastBuiltEpoch(tx);
      if (last !== null && epoch <= last)
        throw new NotFoundError(
          `epoch ${epoch} came before the tracker's first payout: nothing to hold`,
        );
      const { hours, settleMs } = context.settings;
      const first = lastSettledEpoch(nowOf(context), hours, settleMs);
      if (last === null && epoch < first) throw beforeFirstPayout(epoch, first);
    } else if (row.status !== 'pending' && row.status !== 'held')
      throw notInState(epoch, row.status, 'held');
    await holdEpoch(tx, epochSpan(epoch, context.settings.hours), by);
    return reread(tx, epoch);
  });
}

/**
 * Releases a held epoch: pending again, paid on the payer's next pass (or built at its end, if it
 * has not ended). A refused epoch released is built again from its runs, the pool's balance now
 * and the agents' accounts, under a new revision and so a new distribution id (the refused one
 * paid nothing: a distribution is all or none). 404 without a row; 409 for another status.
 */
export function releaseEpochFor(context: EpochContext, epoch: number): Promise<EpochRow> {
  return inTransaction(context.sql, async (tx) => {
    const row = await findEpoch(tx, epoch, { lock: true });
    if (!row) throw new NotFoundError(`epoch ${epoch} is not held`);
    if (row.status !== 'held' && row.status !== 'refused')
      throw notInState(epoch, row.status, 'released');
    await releaseEpoch(tx, epoch, row.status === 'refused');
    return reread(tx, epoch);
  });
}
