import type { Database } from '../../../platform/db.js';
import { ForbiddenError, NotFoundError } from '../../../platform/errors.js';
import type { LedgerCode } from '../../domain/ledgers.js';
import type { Caller } from '../../operations/apply-operation.js';
import { findAccount } from '../../repository/account-store.js';
import type { AccountRow } from '../../repository/rows.js';
import { GovernanceRefusal } from '../domain/governance-refusal.js';

const UNPROCESSABLE = 422;

/**
 * The account `field` names, on `ledger`, after checking that the caller may act on it the way
 * the ledger's writes decide: its owner, or a treasury admin (`admin: false` to require the owner).
 */
export async function accountActedOn(
  sql: Database,
  caller: Caller,
  {
    id,
    field,
    ledger,
    admin = true,
  }: { id: string; field: string; ledger: LedgerCode; admin?: boolean },
): Promise<AccountRow> {
  const account = await findAccount(sql, id);
  if (!account) throw new NotFoundError(`account ${id} does not exist`);
  if (account.ledger !== ledger) {
    throw new GovernanceRefusal(
      UNPROCESSABLE,
      'wrong_ledger',
      field,
      `account ${id} is on ${account.ledger}, not ${ledger}`,
    );
  }
  if (!((admin && caller.admin) || account.owner === caller.subject)) {
    throw new ForbiddenError(
      `account ${id} is owned by ${account.owner}, not by ${caller.subject}`,
    );
  }
  return account;
}
