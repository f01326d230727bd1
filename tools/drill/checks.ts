import type postgres from 'postgres';
import { parseAmount } from '../../services/economic-governor/domain/amounts.js';
import { scaleOf } from '../../services/economic-governor/domain/ledgers.js';
import { accountsOffTheirTransfers } from '../../services/economic-governor/testing/transfer-load.js';
import type { Check } from './check.js';
import type { TargetExpectation } from './expectations.js';
import { ledgerInvariantChecks } from './ledger-invariants.js';
import type { Acknowledged } from './ledger-load.js';
import { type TransferRow, transferRows } from './ledger-rows.js';
import { formatDuration } from './wal-position.js';

/** Counts of the acknowledged transfers on each side of the target. */
export interface AcknowledgedSplit {
  readonly before: number;
  readonly after: number;
  /** Stamped at or before the target but after the stopping point in the WAL (left out). */
  readonly reordered: number;
}

/** What the checks conclude, with the figures the report prints. */
export interface CheckResults {
  readonly checks: readonly Check[];
  readonly acknowledged: AcknowledgedSplit;
  readonly restoredTransfers: number;
  /** `pg_last_xact_replay_timestamp()`: the commit time of the last transaction recovered. */
  readonly lastReplayedUs: bigint | undefined;
}

/** What the checks compare the restored database with. */
export interface CheckInputs {
  readonly targetUs: bigint;
  readonly expectation: TargetExpectation;
  /** The source's transfers when the load stopped. */
  readonly sourceTransfers: readonly TransferRow[];
  readonly acknowledged: readonly Acknowledged[];
}

const sameTransfer = (a: TransferRow, b: TransferRow): boolean =>
  a.kind === b.kind &&
  a.ledger === b.ledger &&
  a.debitAccountId === b.debitAccountId &&
  a.creditAccountId === b.creditAccountId &&
  a.amount === b.amount;

const sample = (ids: readonly string[]): string =>
  ids.length === 0 ? '' : ` (e.g. ${ids.slice(0, 3).join(', ')})`;

/**
 * The ledger's invariants on the restored database (the economic governor's own totals query and
 * its balance-versus-transfers recomputation), then the restore's contents against the source:
 * every acknowledged transfer before the target present as sent, none after it, and the whole
 * `transfers` table equal to the source's up to the recovery's stopping point.
 */
export async function checkRestoredLedger(
  sql: postgres.Sql,
  inputs: CheckInputs,
): Promise<CheckResults> {
  const checks: Check[] = [];
  const add = (name: string, passed: boolean, detail: string) =>
    checks.push({ name, passed, detail });
  const { targetUs, expectation } = inputs;

  const [state] = await sql<{ in_recovery: boolean; replayed_us: string | null }[]>`
    select pg_is_in_recovery() as in_recovery,
           (extract(epoch from pg_last_xact_replay_timestamp()) * 1000000)::bigint::text
             as replayed_us`;
  const lastReplayedUs =
    state?.replayed_us === null || state?.replayed_us === undefined
      ? undefined
      : BigInt(state.replayed_us);
  const expectedLast = expectation.lastRecovered?.committedUs;
  add(
    'recovery ended at the target and the server was promoted',
    state?.in_recovery === false &&
      lastReplayedUs !== undefined &&
      lastReplayedUs <= targetUs &&
      (expectedLast === undefined || lastReplayedUs === expectedLast),
    `in recovery: ${state?.in_recovery}; last replayed commit ${
      lastReplayedUs === undefined ? 'unknown' : formatDuration(targetUs - lastReplayedUs)
    } before the target${expectedLast === undefined ? '' : lastReplayedUs === expectedLast ? ', the last commit or abort record before the stopping point' : ', not the last commit or abort record before the stopping point'}`,
  );

  const restored = await transferRows(sql);
  const restoredById = new Map(restored.map((row) => [row.id, row]));

  checks.push(...(await ledgerInvariantChecks(sql, restored)));

  const off = await accountsOffTheirTransfers(sql);
  add(
    'every account balance equals the sum of its transfers',
    off.length === 0,
    off.length === 0
      ? `${restored.length} transfers recomputed`
      : `${off.length} accounts differ${sample(off.map((row) => row.id))}`,
  );

  const sourceById = new Map(inputs.sourceTransfers.map((row) => [row.id, row]));
  const missingAck: string[] = [];
  const alteredAck: string[] = [];
  const presentAfter: string[] = [];
  const unknownAck: string[] = [];
  const ackedBeforeCommit: string[] = [];
  let widestWindowUs = 0n;
  let before = 0;
  let after = 0;
  let reordered = 0;
  for (const ack of inputs.acknowledged) {
    const source = sourceById.get(ack.id);
    if (!source) {
      unknownAck.push(ack.id);
      continue;
    }
    const windowUs = ack.ackedUs - (source.committedUs ?? ack.ackedUs + 1n);
    if (windowUs < 0n) ackedBeforeCommit.push(ack.id);
    else if (windowUs > widestWindowUs) widestWindowUs = windowUs;
    const found = restoredById.get(ack.id);
    if (expectation.recovered.has(ack.id)) {
      before++;
      if (!found) missingAck.push(ack.id);
      else if (
        found.debitAccountId !== ack.debitAccountId ||
        found.creditAccountId !== ack.creditAccountId ||
        found.amount !== parseAmount(ack.amount, scaleOf('AIA')).toString()
      )
        alteredAck.push(ack.id);
    } else {
      after++;
      if (expectation.stampedBeforeButAfterStop.has(ack.id)) reordered++;
      if (found) presentAfter.push(ack.id);
    }
  }
  add(
    'every acknowledged transfer is on the source',
    unknownAck.length === 0,
    `${inputs.acknowledged.length - unknownAck.length} of ${inputs.acknowledged.length}${sample(unknownAck)}`,
  );
  add(
    'every acknowledgement came after its commit',
    ackedBeforeCommit.length === 0,
    `widest commit-to-acknowledgement window ${formatDuration(widestWindowUs)}${
      ackedBeforeCommit.length
        ? `; ${ackedBeforeCommit.length} acknowledged before (or without) a commit timestamp${sample(ackedBeforeCommit)}`
        : ''
    }`,
  );
  add(
    'every transfer acknowledged and committed before the target is restored, as sent',
    missingAck.length === 0 && alteredAck.length === 0,
    `${before - missingAck.length - alteredAck.length} of ${before} restored${
      missingAck.length ? `; missing ${missingAck.length}${sample(missingAck)}` : ''
    }${alteredAck.length ? `; altered ${alteredAck.length}${sample(alteredAck)}` : ''}`,
  );
  add(
    'no transfer committed after the target is restored',
    presentAfter.length === 0,
    `${after} acknowledged after the target, ${presentAfter.length} of them restored${sample(presentAfter)}`,
  );

  const missing = [...expectation.recovered].filter((id) => !restoredById.has(id));
  const extra = restored.filter((row) => !expectation.recovered.has(row.id)).map((r) => r.id);
  const altered = restored
    .filter((row) => {
      const source = sourceById.get(row.id);
      return source !== undefined && !sameTransfer(source, row);
    })
    .map((row) => row.id);
  add(
    "the restored transfers are exactly the source's up to the stopping point",
    missing.length === 0 && extra.length === 0 && altered.length === 0,
    `${restored.length} restored, ${expectation.recovered.size} expected; missing ${missing.length}${sample(missing)}, extra ${extra.length}${sample(extra)}, altered ${altered.length}${sample(altered)}`,
  );
  add(
    'the load covered both sides of the target',
    before > 0 && after > 0,
    `${before} acknowledged transfers before the target, ${after} after`,
  );

  return {
    checks,
    acknowledged: { before, after, reordered },
    restoredTransfers: restored.length,
    lastReplayedUs,
  };
}
