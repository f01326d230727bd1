import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { formatAia } from '../domain/aia-units.js';
import { epochSpan } from '../domain/epoch-clock.js';
import { epochScore } from '../domain/epoch-score.js';
import { earns, splitPayout } from '../domain/payout-rule.js';
import { epochActivity } from '../repository/epoch-activity.js';
import type { BuiltEpoch, PayoutRow } from '../repository/epoch-store.js';
import type { EpochContext } from './epoch-context.js';

/** The most rewards one ledger distribution carries (the ledger's batch limit). */
export const MAX_EARNERS = 8_000;

/** The reward distribution id of an epoch's table: named by the epoch (and its revision). */
export const epochDistributionId = (epoch: number, revision: number): string =>
  nameBasedUuid(`aia:performance-tracker:epoch:${epoch}:revision:${revision}`);

/**
 * Epoch `epoch`'s payout table as it stands now: each agent's counts and score over the runs
 * that finished inside it, and the split of min(budget, reward pool balance) by the rule. Only
 * agents above the floor are looked up for their ledger account (an agent without one earns
 * nothing, and its part goes to the others); of those, the MAX_EARNERS best scores share (so
 * one distribution pays them). The pool's balance is read only when someone earns (else it is
 * null and nothing is payable). Reads the ledger and the orchestrator: their errors propagate.
 */
export async function computePayoutTable(
  context: EpochContext,
  epoch: number,
  revision: number,
): Promise<BuiltEpoch> {
  const { settings } = context;
  const span = epochSpan(epoch, settings.hours);
  const activity = await epochActivity(context.sql, span.startsAt, span.endsAt);
  const scored = activity.map((agent) => ({ ...agent, score: epochScore(agent) }));
  const aboveFloor = scored
    .filter((agent) => earns(agent.score, settings.rule))
    .sort((a, b) => b.score - a.score || (a.agentId < b.agentId ? -1 : 1));
  const accounts = new Map<string, string>();
  for (const agent of aboveFloor) {
    if (accounts.size >= MAX_EARNERS) break;
    const account = await context.accounts.accountOf(agent.agentId);
    if (account) accounts.set(agent.agentId, account);
  }
  // Without an earner nothing is split: the ledger is not asked (an idle stack needs no governor).
  const poolBalance = accounts.size > 0 ? await context.ledger.poolBalance() : null;
  const split = splitPayout(
    scored.filter((agent) => accounts.has(agent.agentId)),
    settings.rule,
    poolBalance ?? 0n,
  );
  const amounts = new Map(split.lines.map((line) => [line.agentId, line]));
  const lines: PayoutRow[] = scored.map((agent) => ({
    agentId: agent.agentId,
    accountId: accounts.get(agent.agentId) ?? null,
    runs: agent.runs,
    successes: agent.successes,
    failures: agent.failures,
    qualityMean: agent.qualityMean,
    evaluatedRuns: agent.evaluatedRuns,
    score: agent.score,
    amount: formatAia(amounts.get(agent.agentId)?.amount ?? 0n),
    capped: amounts.get(agent.agentId)?.capped ?? false,
  }));
  return {
    ...span,
    status: split.total > 0n ? 'pending' : 'skipped_empty',
    distributionId: epochDistributionId(epoch, revision),
    rule: {
      hours: settings.hours,
      budget: settings.shown.budget,
      score_floor: settings.shown.scoreFloor,
      cap_share: settings.shown.capShare,
    },
    poolBalance: poolBalance === null ? null : formatAia(poolBalance > 0n ? poolBalance : 0n),
    payable: formatAia(split.payable),
    capAmount: formatAia(split.capAmount),
    total: formatAia(split.total),
    lines,
  };
}
