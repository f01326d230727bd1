import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';

/** One transfer a load client sends, kept to check what became of it. */
export interface Attempt {
  readonly id: string;
  readonly ledger: 'AIA';
  readonly debit_account_id: string;
  readonly credit_account_id: string;
  readonly amount: string;
}

/** A transfer of `amount` between two different accounts drawn at random from `accounts`. */
export function randomAttempt(accounts: readonly string[], amount: string): Attempt {
  const pick = () => accounts[Math.floor(Math.random() * accounts.length)] as string;
  const debit = pick();
  let credit = pick();
  while (credit === debit) credit = pick();
  return {
    id: randomUUID(),
    ledger: 'AIA',
    debit_account_id: debit,
    credit_account_id: credit,
    amount,
  };
}

/**
 * Accounts whose balances differ from the sum of their transfers, hold a reservation, or are
 * overdrawn past their limit: after a run of plain transfers, none may.
 */
export function accountsOffTheirTransfers(sql: postgres.Sql) {
  return sql<{ id: string }[]>`
    with effects (account_id, dpo, cpo) as (
      select debit_account_id, amount, 0::numeric from transfers
      union all
      select credit_account_id, 0, amount from transfers
    ), sums as (
      select account_id, sum(dpo) as dpo, sum(cpo) as cpo from effects group by account_id
    )
    select a.id from accounts a left join sums s on s.account_id = a.id
     where a.debits_posted <> coalesce(s.dpo, 0) or a.credits_posted <> coalesce(s.cpo, 0)
        or a.debits_pending <> 0 or a.credits_pending <> 0
        or (a.debits_must_not_exceed_credits and a.debits_posted > a.credits_posted)`;
}
