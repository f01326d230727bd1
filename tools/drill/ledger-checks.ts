import postgres from 'postgres';
import type { Check } from './check.js';
import { ledgerInvariantChecks } from './ledger-invariants.js';
import { transferRows } from './ledger-rows.js';
import { formatMicros } from './wal-position.js';

/**
 * The checks that need nothing but the restored ledger database and the target time, for a
 * restore made elsewhere (a Cloud SQL clone): the ledger's invariants, and no transfer after the
 * target. With track_commit_timestamp on, "after" means committed after; without it, created
 * after (`created_at`, the transaction's start), which catches fewer: a transfer that started
 * before the target and committed after it passes unseen.
 */
export async function checkLedgerAt(databaseUrl: string, targetUs: bigint): Promise<Check[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [setting] = await sql<{ on: boolean }[]>`
      select current_setting('track_commit_timestamp') = 'on' as on`;
    const commitTimes = setting?.on === true;
    const transfers = await transferRows(sql, { commitTimes });
    const checks = await ledgerInvariantChecks(sql, transfers);
    const target = formatMicros(targetUs);
    if (commitTimes) {
      const late = transfers.filter((row) => (row.committedUs ?? 0n) > targetUs);
      checks.push({
        name: 'no transfer committed after the target',
        passed: late.length === 0,
        detail: `${transfers.length} transfers, ${late.length} committed after ${target}`,
      });
    } else {
      const [late] = await sql<{ n: number }[]>`
        select count(*)::int as n from transfers where created_at > ${target}::timestamptz`;
      checks.push({
        name: 'no transfer created after the target (commit timestamps are not tracked)',
        passed: late?.n === 0,
        detail: `${transfers.length} transfers, ${late?.n} created after ${target}`,
      });
    }
    return checks;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
