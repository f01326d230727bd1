import type postgres from 'postgres';
import { LEDGER_CODES, scaleOf } from '../../services/economic-governor/domain/ledgers.js';
import { ledgerTotals } from '../../services/economic-governor/repository/ledger-totals.js';
import type { Check } from './check.js';
import type { TransferRow } from './ledger-rows.js';

/**
 * The ledger's invariants that hold on any copy of its database, whatever ran on it: per
 * ledger, the books balance (the economic governor's own totals query and the rule its
 * `GET /v1/ledgers` reports as `balanced`), and the supply (the issuance account's balance) is
 * what the `mint` transfers created minus what the `burn` transfers destroyed.
 */
export async function ledgerInvariantChecks(
  sql: postgres.Sql,
  transfers: readonly TransferRow[],
): Promise<Check[]> {
  const checks: Check[] = [];
  for (const ledger of LEDGER_CODES) {
    const totals = await ledgerTotals(sql, ledger);
    checks.push({
      name: `${ledger}: the books balance`,
      passed:
        totals.debitsPosted === totals.creditsPosted &&
        totals.debitsPending === totals.creditsPending,
      detail: `debits posted ${totals.debitsPosted}, credits posted ${totals.creditsPosted}, pending ${totals.debitsPending}/${totals.creditsPending} (minor units)`,
    });
    let issued = 0n;
    for (const row of transfers) {
      if (row.ledger !== ledger) continue;
      if (row.kind === 'mint') issued += BigInt(row.amount);
      else if (row.kind === 'burn') issued -= BigInt(row.amount);
    }
    checks.push({
      name: `${ledger}: the supply is what was minted minus what was burnt`,
      passed: totals.supply === issued && issued > 0n,
      detail: `supply ${totals.supply}, mints minus burns ${issued} (minor units, scale ${scaleOf(ledger)})`,
    });
  }
  return checks;
}
