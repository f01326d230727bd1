import type { Database } from '../../../platform/db.js';
import {
  ServiceProblemError,
  ServiceUnavailableError,
} from '../../../platform/service-client/index.js';
import type { RunResult } from '../../../platform/workers.js';
import { lastSettledEpoch } from '../domain/epoch-clock.js';
import {
  findEpoch,
  lastBuiltEpoch,
  type PaymentRecord,
  payoutLines,
  pendingEpochs,
  recordPayment,
  saveBuiltEpoch,
  unbuiltEpochs,
} from '../repository/epoch-store.js';
import { type EpochContext, nowOf } from './epoch-context.js';
import { computePayoutTable } from './payout-table.js';

/** Epochs built, or paid, per pass: a tracker that was down long catches up over a few passes. */
export const EPOCHS_PER_PASS = 20;

/**
 * The epochs whose tables are due by now, oldest first: every epoch after the last one built up
 * to the last settled one (only that one on the tracker's first payout: the epochs before it
 * were never announced), and those an admin held before they ended.
 */
async function dueEpochs(tx: Database, context: EpochContext): Promise<number[]> {
  const { hours, settleMs } = context.settings;
  const upTo = lastSettledEpoch(nowOf(context), hours, settleMs);
  if (upTo < 0) return [];
  const last = await lastBuiltEpoch(tx);
  const due = new Set(await unbuiltEpochs(tx, upTo));
  for (let epoch = last === null ? upTo : last + 1; epoch <= upTo; epoch++) {
    due.add(epoch);
    if (due.size >= EPOCHS_PER_PASS) break;
  }
  return [...due].sort((a, b) => a - b).slice(0, EPOCHS_PER_PASS);
}

/** Builds and stores epoch `epoch`'s table (once: a table built before is kept). */
async function buildEpoch(tx: Database, context: EpochContext, epoch: number): Promise<void> {
  const existing = await findEpoch(tx, epoch, { lock: true });
  if (existing?.builtAt) return;
  const built = await computePayoutTable({ ...context, sql: tx }, epoch, existing?.revision ?? 0);
  await saveBuiltEpoch(tx, built);
  if (built.status === 'skipped_empty' && existing?.status !== 'held')
    context.metrics?.payouts.inc({ outcome: 'skipped_empty' });
}

/** Whether a failed call may succeed later: no answer, too many requests, or a server error. */
const transient = (error: unknown): boolean =>
  error instanceof ServiceUnavailableError ||
  (error instanceof ServiceProblemError && (error.status === 429 || error.status >= 500));

/**
 * Pays pending epoch `epoch` as one reward distribution, its row locked meanwhile (an admin's
 * hold waits, or comes first and is seen here). The distribution id is the epoch's, so if this
 * process dies after the ledger paid and before the status is written, the next attempt pays
 * nothing again and only records it. A transient failure is recorded and retried on the next
 * pass; a refusal (the pool short, an account closed) is recorded with the ledger's reason.
 */
async function payEpoch(tx: Database, context: EpochContext, epoch: number): Promise<void> {
  const row = await findEpoch(tx, epoch, { lock: true });
  if (row?.status !== 'pending' || !row.builtAt || !row.distributionId) return;
  const rewards = (await payoutLines(tx, epoch)).flatMap((line) =>
    line.accountId && line.amount !== '0'
      ? [{ account_id: line.accountId, amount: line.amount }]
      : [],
  );
  let record: PaymentRecord;
  try {
    await context.ledger.distribute({
      id: row.distributionId,
      memo: `performance epoch ${epoch} rewards`,
      rewards,
    });
    record = { kind: 'paid' };
  } catch (error) {
    if (transient(error)) record = { kind: 'failed', error: (error as Error).message };
    else if (error instanceof ServiceProblemError)
      record = { kind: 'refused', code: error.code, detail: error.message };
    else throw error;
  }
  await recordPayment(tx, epoch, record);
  context.metrics?.payouts.inc({
    outcome: record.kind === 'failed' ? 'retried' : record.kind,
  });
  if (record.kind === 'paid') context.metrics?.paidAia.inc(Number(row.total ?? '0'));
}

/**
 * One pass of the epoch payout worker, in the leader's transaction `tx`. Tables due are built
 * first and committed by this pass ('more': the next pass starts at once); only a pass that had
 * nothing to build pays, so a payment always sends a table that is already stored, and a retry
 * after a crash sends the same distribution.
 */
export async function settleEpochs(tx: Database, context: EpochContext): Promise<RunResult> {
  const due = await dueEpochs(tx, context);
  if (due.length > 0) {
    for (const epoch of due) await buildEpoch(tx, context, epoch);
    return 'more';
  }
  const pending = await pendingEpochs(tx, EPOCHS_PER_PASS);
  for (const epoch of pending) await payEpoch(tx, context, epoch);
  return 'idle';
}
