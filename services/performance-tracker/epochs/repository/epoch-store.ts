import type { Database } from '../../../platform/db.js';

/** Where an epoch's payout stands (migration 003). */
export const EPOCH_STATUSES = ['pending', 'held', 'paid', 'skipped_empty', 'refused'] as const;
export type EpochStatus = (typeof EPOCH_STATUSES)[number];

/** The rule an epoch's table was built with, as configured (kept with the table). */
export interface StoredRule {
  readonly hours: number;
  readonly budget: string;
  readonly score_floor: number;
  readonly cap_share: string;
}

/** A `tracker_epochs` row; amounts are exact decimal strings of AIA. */
export interface EpochRow {
  readonly epoch: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: EpochStatus;
  readonly builtAt: Date | null;
  readonly revision: number;
  readonly distributionId: string | null;
  readonly rule: StoredRule | null;
  readonly poolBalance: string | null;
  readonly payable: string | null;
  readonly capAmount: string | null;
  readonly total: string | null;
  readonly heldBy: string | null;
  readonly heldAt: Date | null;
  readonly paidAt: Date | null;
  readonly refusalCode: string | null;
  readonly refusalDetail: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** A `tracker_epoch_payouts` row. */
export interface PayoutRow {
  readonly agentId: string;
  readonly accountId: string | null;
  readonly runs: number;
  readonly successes: number;
  readonly failures: number;
  readonly qualityMean: number | null;
  readonly evaluatedRuns: number;
  readonly score: number;
  readonly amount: string;
  readonly capped: boolean;
}

interface EpochRecord {
  epoch: string;
  starts_at: Date;
  ends_at: Date;
  status: EpochStatus;
  built_at: Date | null;
  revision: number;
  distribution_id: string | null;
  rule: StoredRule | null;
  pool_balance: string | null;
  payable: string | null;
  cap_amount: string | null;
  total: string | null;
  held_by: string | null;
  held_at: Date | null;
  paid_at: Date | null;
  refusal_code: string | null;
  refusal_detail: string | null;
  attempts: number;
  last_error: string | null;
}

const epochOf = (row: EpochRecord): EpochRow => ({
  epoch: Number(row.epoch),
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  status: row.status,
  builtAt: row.built_at,
  revision: row.revision,
  distributionId: row.distribution_id,
  rule: row.rule,
  poolBalance: row.pool_balance,
  payable: row.payable,
  capAmount: row.cap_amount,
  total: row.total,
  heldBy: row.held_by,
  heldAt: row.held_at,
  paidAt: row.paid_at,
  refusalCode: row.refusal_code,
  refusalDetail: row.refusal_detail,
  attempts: row.attempts,
  lastError: row.last_error,
});

const COLUMNS = (sql: Database) => sql`
  epoch, starts_at, ends_at, status, built_at, revision, distribution_id, rule,
  pool_balance::text, payable::text, cap_amount::text, total::text, held_by, held_at, paid_at,
  refusal_code, refusal_detail, attempts, last_error`;

/** The highest epoch whose table was built; null before the first. */
export async function lastBuiltEpoch(sql: Database): Promise<number | null> {
  const [row] = await sql<{ epoch: string | null }[]>`
    select max(epoch)::text as epoch from tracker_epochs where built_at is not null`;
  return row?.epoch == null ? null : Number(row.epoch);
}

/** Epochs up to `upTo` with a row but no table yet (held before they ended), oldest first. */
export async function unbuiltEpochs(sql: Database, upTo: number): Promise<number[]> {
  const rows = await sql<{ epoch: string }[]>`
    select epoch::text from tracker_epochs
     where built_at is null and epoch <= ${upTo} order by epoch`;
  return rows.map((row) => Number(row.epoch));
}

/** One epoch, locked for the rest of `tx` when `lock` (a payer and an admin take turns). */
export async function findEpoch(
  sql: Database,
  epoch: number,
  { lock = false }: { lock?: boolean } = {},
): Promise<EpochRow | undefined> {
  const rows = await sql<EpochRecord[]>`
    select ${COLUMNS(sql)} from tracker_epochs where epoch = ${epoch}
    ${lock ? sql`for update` : sql``}`;
  return rows[0] && epochOf(rows[0]);
}

/** What building an epoch's table decided. */
export interface BuiltEpoch {
  readonly epoch: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** `pending` or `skipped_empty`; an epoch already held stays held. */
  readonly status: 'pending' | 'skipped_empty';
  readonly distributionId: string;
  readonly rule: StoredRule;
  /** Null when nobody earned: the ledger was not asked. */
  readonly poolBalance: string | null;
  readonly payable: string;
  readonly capAmount: string;
  readonly total: string;
  readonly lines: readonly PayoutRow[];
}

/**
 * Stores an epoch's table once: the epoch's row (created, or completed when an admin held it
 * before its end, which keeps it held) and its lines. False when the table was built before (by
 * another replica), and nothing changes.
 */
export async function saveBuiltEpoch(tx: Database, built: BuiltEpoch): Promise<boolean> {
  const saved = await tx`
    insert into tracker_epochs (epoch, starts_at, ends_at, status, built_at, distribution_id, rule,
                                pool_balance, payable, cap_amount, total)
    values (${built.epoch}, ${built.startsAt}, ${built.endsAt}, ${built.status}, now(),
            ${built.distributionId}, ${tx.json(built.rule as never)}, ${built.poolBalance}::numeric,
            ${built.payable}::numeric, ${built.capAmount}::numeric, ${built.total}::numeric)
    on conflict (epoch) do update
       set status = case when tracker_epochs.status = 'held' then 'held' else excluded.status end,
           built_at = excluded.built_at, distribution_id = excluded.distribution_id,
           rule = excluded.rule, pool_balance = excluded.pool_balance,
           payable = excluded.payable, cap_amount = excluded.cap_amount, total = excluded.total,
           updated_at = now()
     where tracker_epochs.built_at is null
    returning epoch`;
  if (saved.length === 0) return false;
  await tx`delete from tracker_epoch_payouts where epoch = ${built.epoch}`;
  for (const line of built.lines)
    await tx`
      insert into tracker_epoch_payouts (epoch, agent_id, account_id, runs, successes, failures,
                                         quality_mean, evaluated_runs, score, amount, capped)
      values (${built.epoch}, ${line.agentId}, ${line.accountId}, ${line.runs}, ${line.successes},
              ${line.failures}, ${line.qualityMean}, ${line.evaluatedRuns}, ${line.score},
              ${line.amount}::numeric, ${line.capped})`;
  return true;
}

/** Pending epochs, oldest first (the payer's queue). */
export async function pendingEpochs(sql: Database, limit: number): Promise<number[]> {
  const rows = await sql<{ epoch: string }[]>`
    select epoch::text from tracker_epochs
     where status = 'pending' and built_at is not null order by epoch limit ${limit}`;
  return rows.map((row) => Number(row.epoch));
}

/** An epoch's lines in agent order. */
export async function payoutLines(sql: Database, epoch: number): Promise<PayoutRow[]> {
  const rows = await sql<
    {
      agent_id: string;
      account_id: string | null;
      runs: number;
      successes: number;
      failures: number;
      quality_mean: number | null;
      evaluated_runs: number;
      score: number;
      amount: string;
      capped: boolean;
    }[]
  >`
    select agent_id::text, account_id::text, runs, successes, failures, quality_mean,
           evaluated_runs, score, amount::text, capped
      from tracker_epoch_payouts where epoch = ${epoch} order by agent_id`;
  return rows.map((row) => ({
    agentId: row.agent_id,
    accountId: row.account_id,
    runs: row.runs,
    successes: row.successes,
    failures: row.failures,
    qualityMean: row.quality_mean,
    evaluatedRuns: row.evaluated_runs,
    score: row.score,
    amount: row.amount,
    capped: row.capped,
  }));
}

/** The outcome of one payment attempt, written to the epoch's row. */
export type PaymentRecord =
  | { readonly kind: 'paid' }
  | { readonly kind: 'refused'; readonly code: string; readonly detail: string }
  | { readonly kind: 'failed'; readonly error: string };

/** Records a payment attempt's outcome on a (locked) pending epoch. */
export async function recordPayment(
  tx: Database,
  epoch: number,
  record: PaymentRecord,
): Promise<void> {
  if (record.kind === 'paid')
    await tx`
      update tracker_epochs set status = 'paid', paid_at = now(), attempts = attempts + 1,
                                last_error = null, updated_at = now()
       where epoch = ${epoch}`;
  else if (record.kind === 'refused')
    await tx`
      update tracker_epochs set status = 'refused', refusal_code = ${record.code},
                                refusal_detail = ${record.detail}, attempts = attempts + 1,
                                updated_at = now()
       where epoch = ${epoch}`;
  else
    await tx`
      update tracker_epochs set attempts = attempts + 1, last_error = ${record.error},
                                updated_at = now()
       where epoch = ${epoch}`;
}

/** Holds an epoch: creates its row (a future or current epoch) or sets a pending one held. */
export async function holdEpoch(
  tx: Database,
  span: { epoch: number; startsAt: Date; endsAt: Date },
  by: string,
): Promise<void> {
  await tx`
    insert into tracker_epochs (epoch, starts_at, ends_at, status, held_by, held_at)
    values (${span.epoch}, ${span.startsAt}, ${span.endsAt}, 'held', ${by}, now())
    on conflict (epoch) do update
       set status = 'held', held_by = excluded.held_by, held_at = excluded.held_at,
           updated_at = now()`;
}

/**
 * Releases a held epoch: pending again (paid by the next pass; a table not built yet is built
 * at the epoch's end), or skipped_empty when its table pays nothing. A refused epoch released is built again under the next revision (so
 * its distribution id is new: the refused one paid nothing).
 */
export async function releaseEpoch(tx: Database, epoch: number, rebuild: boolean): Promise<void> {
  if (rebuild) {
    await tx`delete from tracker_epoch_payouts where epoch = ${epoch}`;
    await tx`
      update tracker_epochs
         set status = 'pending', built_at = null, revision = revision + 1, distribution_id = null,
             rule = null, pool_balance = null, payable = null, cap_amount = null, total = null,
             refusal_code = null, refusal_detail = null, held_by = null, held_at = null,
             updated_at = now()
       where epoch = ${epoch}`;
  }
  // A table built while held that pays nothing is skipped, not sent (a distribution needs a reward).
  else
    await tx`
      update tracker_epochs
         set status = case when built_at is not null and total = 0 then 'skipped_empty'
                           else 'pending' end,
             held_by = null, held_at = null, updated_at = now()
       where epoch = ${epoch}`;
}

/** A page of epochs with a row, newest first, before epoch `before` when given. */
export async function listEpochs(
  sql: Database,
  { limit, before }: { limit: number; before?: number },
): Promise<EpochRow[]> {
  const rows = await sql<EpochRecord[]>`
    select ${COLUMNS(sql)} from tracker_epochs
     ${before === undefined ? sql`` : sql`where epoch < ${before}`}
     order by epoch desc limit ${limit}`;
  return rows.map(epochOf);
}
