import { VOTE_CHOICES, type VoteChoice } from '../zk/vote-signals.js';

/** One counted vote: its choice (0 against, 1 for, 2 abstain) and the weight it carries. */
export interface CountedVote {
  readonly choice: number;
  readonly weight: bigint;
}

export interface Tally {
  readonly for: bigint;
  readonly against: bigint;
  readonly abstain: bigint;
  /** Every counted weight, abstentions included: what the quorum is compared with. */
  readonly total: bigint;
  readonly quorumReached: boolean;
  /** Quorum reached and more weight for than against. */
  readonly passed: boolean;
}

/** Sums the weights by choice; a proposal passes with its quorum met and `for` above `against`. */
export function tallyVotes(votes: readonly CountedVote[], quorum: bigint): Tally {
  const sums: Record<VoteChoice, bigint> = { for: 0n, against: 0n, abstain: 0n };
  for (const vote of votes) {
    const choice = choiceName(vote.choice);
    sums[choice] += vote.weight;
  }
  const total = sums.for + sums.against + sums.abstain;
  const quorumReached = total >= quorum;
  return { ...sums, total, quorumReached, passed: quorumReached && sums.for > sums.against };
}

/** The name of a choice number; anything else is a bug upstream (the database allows 0-2). */
export function choiceName(choice: number | bigint): VoteChoice {
  const found = (Object.keys(VOTE_CHOICES) as VoteChoice[]).find(
    (name) => VOTE_CHOICES[name] === BigInt(choice),
  );
  if (!found) throw new RangeError(`choice ${choice} is not 0, 1 or 2`);
  return found;
}
