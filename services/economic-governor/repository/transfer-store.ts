import type { Database } from '../../platform/db.js';
import { formatAmount } from '../domain/amounts.js';
import { scaleOf } from '../domain/ledgers.js';
import type { AccountState, Balances, TransferRecord } from '../domain/types.js';
import { type AccountRow, accountFromRow, type TransferRow, transferFromRow } from './rows.js';

export const TRANSFERS_TOPIC = 'aia.ledger.transfers.v1';

/** Transfers with these ids (already committed). */
export async function loadTransfers(
  sql: Database,
  ids: readonly string[],
): Promise<Map<string, TransferRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<TransferRow[]>`
    select * from transfers where id = any(${ids as string[]}::uuid[])`;
  return new Map(rows.map((row) => [row.id, transferFromRow(row)]));
}

/**
 * Locks the accounts in id order (so two transactions never wait on each other in a cycle) and
 * returns them with the transaction's clock.
 */
export async function lockAccounts(
  sql: Database,
  ids: readonly string[],
): Promise<{ accounts: Map<string, AccountState>; now: Date }> {
  const rows = await sql<(AccountRow & { now: Date })[]>`
    select *, now() as now from accounts where id = any(${ids as string[]}::uuid[])
     order by id for update`;
  return {
    accounts: new Map(rows.map((row) => [row.id, accountFromRow(row)])),
    now: rows[0]?.now ?? new Date(),
  };
}

/** The transfers that resolved (posted, voided, expired) any of these pending transfers. */
export async function loadResolutions(
  sql: Database,
  pendingIds: readonly string[],
): Promise<TransferRecord[]> {
  if (pendingIds.length === 0) return [];
  const rows = await sql<TransferRow[]>`
    select * from transfers where pending_id = any(${pendingIds as string[]}::uuid[])`;
  return rows.map(transferFromRow);
}

/** Who did what, for the audit log; the transfers of the operation point at this entry. */
export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly requestId?: string;
  readonly ledger?: string;
  readonly details?: Record<string, unknown>;
}

export interface WriteResult {
  /** The audit entries' ids, in the order given. */
  readonly auditIds: string[];
  /** Sequence number and commit-time clock of each created transfer, by id. */
  readonly stamps: Map<string, { seq: string; createdAt: Date }>;
}

/** A new transfer and the position of its operation's audit entry. */
export interface NewTransfer {
  readonly transfer: TransferRecord;
  readonly entry: number;
}

/**
 * Writes operations in a single statement: their audit entries, the new transfers (each pointing
 * at its entry), an outbox event per transfer, the balance changes, and the pending-timeout queue.
 * All or nothing.
 */
export async function writeTransfers(
  sql: Database,
  entries: readonly AuditEntry[],
  created: readonly NewTransfer[],
  deltas: Map<string, Balances>,
): Promise<WriteResult> {
  const resolved = created.flatMap(({ transfer }) =>
    transfer.pendingId ? [transfer.pendingId] : [],
  );
  const column = <T>(pick: (t: TransferRecord) => T) =>
    created.map(({ transfer }) => pick(transfer));
  const entryColumn = <T>(pick: (e: AuditEntry) => T) => entries.map(pick);
  const accountIds = [...deltas.keys()];
  const delta = (field: keyof Balances) =>
    accountIds.map((id) => (deltas.get(id) as Balances)[field].toString());
  const rows = await sql<
    { audit_ids: string[]; id: string | null; seq: string | null; created_at: Date | null }[]
  >`
    with drawn as (
      select nextval(pg_get_serial_sequence('audit_log', 'id')) as id
        from generate_series(1, ${entries.length}::int)
    ), audit_entries as (
      -- Entry k gets the k-th smallest id drawn: ids follow entry order by construction.
      select id, row_number() over (order by id) as entry from drawn
    ), audit as (
      insert into audit_log (id, actor, action, request_id, ledger, details) overriding system value
      select a.id, e.actor, e.action, e.request_id, e.ledger, e.details::jsonb
        from unnest(${entryColumn((e) => e.actor)}::text[], ${entryColumn((e) => e.action)}::text[],
                    ${entryColumn((e) => e.requestId ?? null)}::text[], ${entryColumn((e) => e.ledger ?? null)}::text[],
                    ${entryColumn((e) => JSON.stringify(e.details ?? {}))}::text[])
             with ordinality as e(actor, action, request_id, ledger, details, entry)
        join audit_entries a on a.entry = e.entry
      returning id
    ), input as (
      select * from unnest(${column((t) => t.id)}::uuid[], ${column((t) => t.ledger)}::text[],
                    ${column((t) => t.kind)}::text[], ${column((t) => t.debitAccountId)}::uuid[],
                    ${column((t) => t.creditAccountId)}::uuid[], ${column((t) => t.amount.toString())}::numeric[],
                    ${column((t) => t.pendingId ?? null)}::uuid[], ${column((t) => t.timeoutAt?.toISOString() ?? null)}::timestamptz[],
                    ${column((t) => t.memo ?? null)}::text[], ${column((t) => formatAmount(t.amount, scaleOf(t.ledger)))}::text[],
                    ${created.map(({ entry }) => entry + 1)}::int[])
             with ordinality as t(id, ledger, kind, debit, credit, amount, pending_id, timeout_at, memo, amount_text, entry, ord)
    ), new_transfers as (
      insert into transfers (id, ledger, kind, debit_account_id, credit_account_id, amount,
                             pending_id, timeout_at, memo, audit_id)
      select t.id, t.ledger, t.kind, t.debit, t.credit, t.amount, t.pending_id, t.timeout_at, t.memo, a.id
        from input t join audit_entries a on a.entry = t.entry
       order by t.ord
      returning id, seq, ledger, kind, debit_account_id, credit_account_id, pending_id, created_at, audit_id
    ), events as (
      insert into outbox (topic, key, producer, payload)
      select ${TRANSFERS_TOPIC}, n.id::text, 'economic-governor', jsonb_build_object(
               'transfer_id', n.id, 'seq', n.seq, 'ledger', n.ledger, 'kind', n.kind,
               'debit_account_id', n.debit_account_id, 'credit_account_id', n.credit_account_id,
               'amount', t.amount_text, 'pending_id', n.pending_id, 'audit_id', n.audit_id,
               'created_at', n.created_at)
        from new_transfers n join input t on t.id = n.id
       order by n.seq
    ), balances as (
      update accounts a
         set debits_pending = a.debits_pending + d.debits_pending,
             debits_posted = a.debits_posted + d.debits_posted,
             credits_pending = a.credits_pending + d.credits_pending,
             credits_posted = a.credits_posted + d.credits_posted
        from unnest(${accountIds}::uuid[], ${delta('debitsPending')}::numeric[], ${delta('debitsPosted')}::numeric[],
                    ${delta('creditsPending')}::numeric[], ${delta('creditsPosted')}::numeric[])
             as d(id, debits_pending, debits_posted, credits_pending, credits_posted)
       where a.id = d.id
    ), timeouts_added as (
      insert into pending_timeouts (transfer_id, timeout_at)
      select id, timeout_at from input
       where timeout_at is not null and id <> all(${resolved}::uuid[])
    ), timeouts_removed as (
      delete from pending_timeouts where transfer_id = any(${resolved}::uuid[])
    )
    select (select array_agg(id order by id) from audit) as audit_ids, n.id, n.seq, n.created_at
      from (select 1) one left join new_transfers n on true`;
  const first = rows[0];
  if (!first) throw new Error('the write returned nothing');
  return {
    auditIds: first.audit_ids.map(String),
    stamps: new Map(
      rows.flatMap((row) =>
        row.id && row.seq && row.created_at
          ? [[row.id, { seq: row.seq, createdAt: row.created_at }]]
          : [],
      ),
    ),
  };
}
