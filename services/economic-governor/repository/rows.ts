import type { AccountKind, LedgerCode } from '../domain/ledgers.js';
import type { AccountState, TransferKind, TransferRecord } from '../domain/types.js';

/** The columns of `accounts` as postgres.js returns them (numeric as strings). */
export interface AccountRow {
  id: string;
  ledger: string;
  kind: string;
  owner: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
  memo: string | null;
  created_at: Date;
}

export interface TransferRow {
  id: string;
  seq: string;
  ledger: string;
  kind: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  pending_id: string | null;
  timeout_at: Date | null;
  memo: string | null;
  created_at: Date;
}

export const accountFromRow = (row: AccountRow): AccountState => ({
  id: row.id,
  ledger: row.ledger as LedgerCode,
  kind: row.kind as AccountKind,
  owner: row.owner,
  debitsMustNotExceedCredits: row.debits_must_not_exceed_credits,
  creditsMustNotExceedDebits: row.credits_must_not_exceed_debits,
  debitsPending: BigInt(row.debits_pending),
  debitsPosted: BigInt(row.debits_posted),
  creditsPending: BigInt(row.credits_pending),
  creditsPosted: BigInt(row.credits_posted),
});

export const transferFromRow = (row: TransferRow): TransferRecord => ({
  id: row.id,
  seq: row.seq,
  ledger: row.ledger as LedgerCode,
  kind: row.kind as TransferKind,
  debitAccountId: row.debit_account_id,
  creditAccountId: row.credit_account_id,
  amount: BigInt(row.amount),
  ...(row.pending_id ? { pendingId: row.pending_id } : {}),
  ...(row.timeout_at ? { timeoutAt: row.timeout_at } : {}),
  ...(row.memo ? { memo: row.memo } : {}),
  createdAt: row.created_at,
});
