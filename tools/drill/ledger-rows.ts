import type postgres from 'postgres';

/** A row of the ledger's `transfers`, with the transaction that wrote it and its commit time. */
export interface TransferRow {
  readonly id: string;
  readonly kind: string;
  readonly ledger: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  /** Minor units, exact. */
  readonly amount: string;
  /** The writing transaction (xmin): transfers are append-only, so it is the inserting one. */
  readonly xid: number;
  /** Its commit timestamp in microseconds (track_commit_timestamp), or undefined when unknown. */
  readonly committedUs: bigint | undefined;
}

/**
 * Every transfer of the ledger database behind `sql`, with its commit timestamp when
 * `commitTimes` (default true; the server must run with track_commit_timestamp on).
 */
export async function transferRows(
  sql: postgres.Sql,
  { commitTimes = true }: { commitTimes?: boolean } = {},
): Promise<TransferRow[]> {
  const committed = commitTimes
    ? sql`(extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000000)::bigint::text`
    : sql`null::text`;
  const rows = await sql<
    {
      id: string;
      kind: string;
      ledger: string;
      debit: string;
      credit: string;
      amount: string;
      xid: string;
      committed_us: string | null;
    }[]
  >`
    select id::text, kind, ledger, debit_account_id::text as debit,
           credit_account_id::text as credit, amount::text, xmin::text as xid,
           ${committed} as committed_us
      from transfers`;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    ledger: row.ledger,
    debitAccountId: row.debit,
    creditAccountId: row.credit,
    amount: row.amount,
    xid: Number(row.xid),
    committedUs: row.committed_us === null ? undefined : BigInt(row.committed_us),
  }));
}
