import { formatAmount } from '../domain/amounts.js';
import { type AccountKind, type LedgerCode, scaleOf } from '../domain/ledgers.js';
import type { ResolutionKind, TransferRecord, TransferResult } from '../domain/types.js';
import type { AccountRow } from '../repository/rows.js';
import type { StakeRow } from '../repository/stake-store.js';

/** How the API shows an account: exact decimal strings, derived balance and availability. */
export function accountView(row: AccountRow) {
  const scale = scaleOf(row.ledger as LedgerCode);
  const [dp, dpo, cp, cpo] = [
    row.debits_pending,
    row.debits_posted,
    row.credits_pending,
    row.credits_posted,
  ].map(BigInt) as [bigint, bigint, bigint, bigint];
  return {
    id: row.id,
    ledger: row.ledger as LedgerCode,
    kind: row.kind as AccountKind,
    owner: row.owner,
    flags: {
      debits_must_not_exceed_credits: row.debits_must_not_exceed_credits,
      credits_must_not_exceed_debits: row.credits_must_not_exceed_debits,
    },
    debits_pending: formatAmount(dp, scale),
    debits_posted: formatAmount(dpo, scale),
    credits_pending: formatAmount(cp, scale),
    credits_posted: formatAmount(cpo, scale),
    balance: formatAmount(cpo - dpo, scale),
    available: formatAmount(cpo - dpo - dp, scale),
    memo: row.memo,
    created_at: row.created_at.toISOString(),
  };
}

const PENDING_STATUS = { post: 'posted', void: 'voided', expire: 'expired' } as const;

/** A transfer; a pending one also says whether it is still pending or how it ended. */
export function transferView(transfer: TransferRecord, resolution?: ResolutionKind | null) {
  return {
    id: transfer.id,
    ledger: transfer.ledger,
    kind: transfer.kind,
    debit_account_id: transfer.debitAccountId,
    credit_account_id: transfer.creditAccountId,
    amount: formatAmount(transfer.amount, scaleOf(transfer.ledger)),
    ...(transfer.pendingId ? { pending_id: transfer.pendingId } : {}),
    ...(transfer.timeoutAt ? { timeout_at: transfer.timeoutAt.toISOString() } : {}),
    ...(transfer.memo ? { memo: transfer.memo } : {}),
    ...(transfer.createdAt ? { created_at: transfer.createdAt.toISOString() } : {}),
    ...(transfer.kind === 'pending' && resolution !== undefined
      ? { status: resolution ? PENDING_STATUS[resolution] : ('pending' as const) }
      : {}),
  };
}

/** Per-entry results of a batch, in request order, with counts. */
export function batchView(ids: readonly string[], results: readonly TransferResult[]) {
  const counts = { created: 0, exists: 0, failed: 0 };
  const entries = results.map((result, index) => {
    counts[result.status]++;
    return {
      index,
      id: ids[index] as string,
      status: result.status,
      ...(result.status === 'failed' ? { error: result.error } : {}),
    };
  });
  return { results: entries, ...counts };
}

export function stakeView(row: StakeRow) {
  return {
    id: row.id,
    account_id: row.account_id,
    ledger: row.ledger,
    amount: formatAmount(BigInt(row.amount), scaleOf(row.ledger)),
    stake_transfer_id: row.stake_transfer_id,
    unlocks_at: row.unlocks_at.toISOString(),
    released: row.release_transfer_id !== null,
    ...(row.release_transfer_id ? { release_transfer_id: row.release_transfer_id } : {}),
    created_at: row.created_at.toISOString(),
  };
}
