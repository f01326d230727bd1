import { parseAia } from '../domain/aia-units.js';
import type { BuiltEpoch, EpochRow, PayoutRow } from '../repository/epoch-store.js';

/** Parts per million of `amount / payable`, as a number with 6 decimals (0 when nothing pays). */
const SHARE_SCALE = 1_000_000n;
function shareOf(amount: string, payable: string | null): number {
  const of = payable === null ? 0n : parseAia(payable, 'payable');
  return of === 0n
    ? 0
    : Number((parseAia(amount, 'amount') * SHARE_SCALE) / of) / Number(SHARE_SCALE);
}

/** An epoch's row as the API shows it. */
export function epochSummaryView(row: EpochRow) {
  return {
    epoch: row.epoch,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    status: row.status,
    built: row.builtAt !== null,
    distribution_id: row.distributionId,
    rule: row.rule && {
      epoch_hours: row.rule.hours,
      budget: row.rule.budget,
      score_floor: row.rule.score_floor,
      cap_share: row.rule.cap_share,
    },
    pool_balance: row.poolBalance,
    payable: row.payable,
    cap_amount: row.capAmount,
    total: row.total,
    held: row.status === 'held' ? { by: row.heldBy, at: row.heldAt?.toISOString() ?? null } : null,
    paid_at: row.paidAt?.toISOString() ?? null,
    refusal: row.refusalCode ? { code: row.refusalCode, detail: row.refusalDetail } : null,
    attempts: row.attempts,
    last_error: row.lastError,
  };
}

/** Payout lines as the API shows them, with each line's share of what the epoch pays. */
export const payoutLinesView = (lines: readonly PayoutRow[], payable: string | null) =>
  lines.map((line) => ({
    agent_id: line.agentId,
    account_id: line.accountId,
    runs: line.runs,
    successes: line.successes,
    failures: line.failures,
    quality_mean: line.qualityMean,
    evaluated_runs: line.evaluatedRuns,
    score: line.score,
    share: shareOf(line.amount, payable),
    amount: line.amount,
    capped: line.capped,
  }));

/** A table computed by a dry-run (stored nowhere), over the epoch's row when it has one. */
export function previewView(built: BuiltEpoch, row: EpochRow | undefined) {
  const base = row
    ? epochSummaryView(row)
    : epochSummaryView({
        epoch: built.epoch,
        startsAt: built.startsAt,
        endsAt: built.endsAt,
        status: built.status,
        builtAt: null,
        revision: 0,
        distributionId: null,
        rule: null,
        poolBalance: null,
        payable: null,
        capAmount: null,
        total: null,
        heldBy: null,
        heldAt: null,
        paidAt: null,
        refusalCode: null,
        refusalDetail: null,
        attempts: 0,
        lastError: null,
      });
  return {
    ...base,
    status: row?.status === 'held' ? row.status : built.status,
    distribution_id: built.distributionId,
    rule: {
      epoch_hours: built.rule.hours,
      budget: built.rule.budget,
      score_floor: built.rule.score_floor,
      cap_share: built.rule.cap_share,
    },
    pool_balance: built.poolBalance,
    payable: built.payable,
    cap_amount: built.capAmount,
    total: built.total,
    dry_run: true as const,
    payouts: payoutLinesView(built.lines, built.payable),
  };
}
