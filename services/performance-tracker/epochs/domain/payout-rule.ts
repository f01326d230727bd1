import { minUnits, timesFraction } from './aia-units.js';

/**
 * The redistribution rule, per stack (EPOCH_REWARD_BUDGET_AIA, EPOCH_SCORE_FLOOR,
 * EPOCH_CAP_SHARE). Amounts are in 10^-18 AIA units, the cap share in parts of 10^18.
 */
export interface PayoutRule {
  /** What one epoch may pay at most. */
  readonly budget: bigint;
  /** Scores at or below it earn nothing; above it, the part above it is the agent's weight. */
  readonly scoreFloor: number;
  /** The most one agent receives, as a share of what the epoch pays. */
  readonly capShare: bigint;
}

/** One agent's line of a payout table. */
export interface PayoutLine {
  readonly agentId: string;
  readonly score: number;
  /** What it receives, in units: 0 at or below the floor. */
  readonly amount: bigint;
  /** True when the cap, not its weight, set the amount. */
  readonly capped: boolean;
}

/** A whole epoch's split. */
export interface PayoutSplit {
  /** min(budget, pool balance): what the epoch may pay. */
  readonly payable: bigint;
  /** The most one agent may receive: payable × cap share, rounded down. */
  readonly capAmount: bigint;
  readonly lines: readonly PayoutLine[];
  /** Sum of the amounts: never above `payable`. */
  readonly total: bigint;
}

/** Weights are scores above the floor in whole 10^-12: exact integer arithmetic from there on. */
const WEIGHT_SCALE = 1e12;

const weightOf = (score: number, floor: number): bigint =>
  score > floor ? BigInt(Math.floor((score - floor) * WEIGHT_SCALE)) : 0n;

/**
 * Whether `score` earns anything under `rule`: it passes the floor by at least 10^-12 (a score of
 * 0 computed as 1e-17 earns nothing).
 */
export const earns = (score: number, rule: Pick<PayoutRule, 'scoreFloor'>): boolean =>
  weightOf(score, rule.scoreFloor) > 0n;

/**
 * Splits min(budget, poolBalance) between the agents in proportion to their score above the
 * floor, no agent above the cap: an agent whose proportional part would pass the cap receives the
 * cap, and what it leaves is split again between the others in proportion (water-filling), until
 * nobody passes it. When every agent with a weight is capped, the rest stays in the pool. Each
 * amount is rounded down to the ledger's 10^-18; the remainder of the rounding (less than one
 * unit per agent) stays in the pool too. Deterministic: the lines come out in agent id order, and
 * the same scores give the same amounts whatever order they are given in.
 */
export function splitPayout(
  scores: readonly { readonly agentId: string; readonly score: number }[],
  rule: PayoutRule,
  poolBalance: bigint,
): PayoutSplit {
  const payable = minUnits(rule.budget, poolBalance > 0n ? poolBalance : 0n);
  const capAmount = timesFraction(payable, rule.capShare);
  const ordered = [...scores].sort((a, b) =>
    a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0,
  );
  const weights = new Map(
    ordered.map(({ agentId, score }) => [agentId, weightOf(score, rule.scoreFloor)]),
  );
  const amounts = new Map<string, bigint>();
  const capped = new Set<string>();
  let open = ordered
    .filter(({ agentId }) => (weights.get(agentId) ?? 0n) > 0n)
    .map((s) => s.agentId);
  let remaining = payable;
  while (open.length > 0 && remaining > 0n) {
    const total = open.reduce((sum, id) => sum + (weights.get(id) ?? 0n), 0n);
    const part = (id: string) => (remaining * (weights.get(id) ?? 0n)) / total;
    const over = open.filter((id) => part(id) > capAmount);
    if (over.length === 0) {
      for (const id of open) amounts.set(id, part(id));
      break;
    }
    for (const id of over) {
      amounts.set(id, capAmount);
      capped.add(id);
    }
    remaining -= capAmount * BigInt(over.length);
    open = open.filter((id) => !capped.has(id));
  }
  const lines = ordered.map(({ agentId, score }) => ({
    agentId,
    score,
    amount: amounts.get(agentId) ?? 0n,
    capped: capped.has(agentId),
  }));
  return { payable, capAmount, lines, total: lines.reduce((sum, line) => sum + line.amount, 0n) };
}
