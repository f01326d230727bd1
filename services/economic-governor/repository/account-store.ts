import type { Database } from '../../platform/db.js';
import type { AccountKind, LedgerCode } from '../domain/ledgers.js';
import type { TransferRecord } from '../domain/types.js';
import { type AccountRow, type TransferRow, transferFromRow } from './rows.js';

export interface NewAccount {
  readonly id: string;
  readonly ledger: LedgerCode;
  readonly kind: AccountKind;
  readonly owner: string;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  readonly memo?: string;
}

/**
 * Inserts accounts that do not exist yet; returns the stored rows of all of them (new or not),
 * so callers can tell a repeat of the same request from a conflicting one.
 */
export async function insertAccounts(
  sql: Database,
  accounts: readonly NewAccount[],
): Promise<{ rows: AccountRow[]; inserted: Set<string> }> {
  const inserted = await sql<{ id: string }[]>`
    insert into accounts (id, ledger, kind, owner, debits_must_not_exceed_credits,
                          credits_must_not_exceed_debits, memo)
    select * from unnest(${accounts.map((a) => a.id)}::uuid[], ${accounts.map((a) => a.ledger)}::text[],
                         ${accounts.map((a) => a.kind)}::text[], ${accounts.map((a) => a.owner)}::text[],
                         ${sql.array(accounts.map((a) => a.debitsMustNotExceedCredits))}::boolean[],
                         ${sql.array(accounts.map((a) => a.creditsMustNotExceedDebits))}::boolean[],
                         ${accounts.map((a) => a.memo ?? null)}::text[])
    on conflict do nothing
    returning id`;
  const rows = await sql<AccountRow[]>`
    select * from accounts where id = any(${accounts.map((a) => a.id)}::uuid[])`;
  return { rows, inserted: new Set(inserted.map((row) => row.id)) };
}

export async function findAccount(sql: Database, id: string): Promise<AccountRow | undefined> {
  const [row] = await sql<AccountRow[]>`select * from accounts where id = ${id}`;
  return row;
}

/**
 * An account's transfers, newest first: those with `seq` below the cursor, `limit` of them.
 * Two index range scans (debit side, credit side) merged.
 */
export async function listAccountTransfers(
  sql: Database,
  accountId: string,
  before: string | undefined,
  limit: number,
): Promise<TransferRecord[]> {
  const below = before ?? '9223372036854775807';
  const rows = await sql<TransferRow[]>`
    (select * from transfers where debit_account_id = ${accountId} and seq < ${below}
      order by seq desc limit ${limit})
    union all
    (select * from transfers where credit_account_id = ${accountId} and seq < ${below}
      order by seq desc limit ${limit})
    order by seq desc limit ${limit}`;
  return rows.map(transferFromRow);
}

/** A transfer and, for a pending one, the transfer that resolved it. */
export async function findTransfer(
  sql: Database,
  id: string,
): Promise<{ transfer: TransferRecord; resolution?: TransferRecord } | undefined> {
  const rows = await sql<TransferRow[]>`
    select * from transfers where id = ${id} or pending_id = ${id} order by seq`;
  const transfer = rows.find((row) => row.id === id);
  if (!transfer) return undefined;
  const resolution = rows.find((row) => row.pending_id === id);
  return {
    transfer: transferFromRow(transfer),
    ...(resolution ? { resolution: transferFromRow(resolution) } : {}),
  };
}
