import type { Database } from '../../platform/db.js';
import { type LedgerCode, systemAccountId } from '../domain/ledgers.js';

/** Sums over all accounts of a ledger, in minor units: the double-entry invariant's inputs. */
export interface LedgerTotals {
  readonly ledger: LedgerCode;
  readonly accounts: number;
  readonly debitsPending: bigint;
  readonly debitsPosted: bigint;
  readonly creditsPending: bigint;
  readonly creditsPosted: bigint;
  /** Minted minus burnt: the issuance account's debits minus its credits. */
  readonly supply: bigint;
}

export async function ledgerTotals(sql: Database, ledger: LedgerCode): Promise<LedgerTotals> {
  const issuance = systemAccountId(ledger, 'issuance');
  const [row] = await sql<
    { accounts: string; dp: string; dpo: string; cp: string; cpo: string; supply: string }[]
  >`
    select count(*) as accounts,
           coalesce(sum(debits_pending), 0) as dp, coalesce(sum(debits_posted), 0) as dpo,
           coalesce(sum(credits_pending), 0) as cp, coalesce(sum(credits_posted), 0) as cpo,
           coalesce(sum(debits_posted - credits_posted) filter (where id = ${issuance}), 0) as supply
      from accounts where ledger = ${ledger}`;
  if (!row) throw new Error(`no totals for ledger ${ledger}`);
  return {
    ledger,
    accounts: Number(row.accounts),
    debitsPending: BigInt(row.dp),
    debitsPosted: BigInt(row.dpo),
    creditsPending: BigInt(row.cp),
    creditsPosted: BigInt(row.cpo),
    supply: BigInt(row.supply),
  };
}
