/** What a proposal asks for. */
export const PROPOSAL_KINDS = ['treasury_transfer', 'parameter_change', 'text'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** How a vote may be cast: a zero-knowledge proof, or a public vote signed by an account's owner. */
export const VOTE_MODES = ['private', 'signed'] as const;
export type VoteMode = (typeof VOTE_MODES)[number];

/**
 * A proposal's state: `open` until `closes_at`, `closed` until the tally, then `passed` or
 * `rejected`; a passed treasury transfer or parameter change becomes `executed`.
 */
export type ProposalState = 'open' | 'closed' | 'passed' | 'rejected' | 'executed';

export function proposalState(
  proposal: { outcome: 'passed' | 'rejected' | null; executed_at: Date | null; closes_at: Date },
  now: Date,
): ProposalState {
  if (proposal.executed_at) return 'executed';
  if (proposal.outcome) return proposal.outcome;
  return proposal.closes_at > now ? 'open' : 'closed';
}
