/** What a proposal asks for. */
export const PROPOSAL_KINDS = ['treasury_transfer', 'parameter_change', 'text'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** How a vote may be cast: a zero-knowledge proof, or a public vote signed by an account's owner. */
export const VOTE_MODES = ['private', 'signed'] as const;
export type VoteMode = (typeof VOTE_MODES)[number];

/**
 * A proposal's state: `open` until `closes_at`, `closed` until the tally, then `passed` or
 * `rejected`; a passed treasury transfer or parameter change becomes `executed`. `voided`: a
 * proposal migration 004 stopped before its tally or execution (its snapshot predates leaves
 * bound to stake).
 */
export const PROPOSAL_STATES = [
  'open',
  'closed',
  'passed',
  'rejected',
  'executed',
  'voided',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export function proposalState(
  proposal: {
    outcome: 'passed' | 'rejected' | null;
    executed_at: Date | null;
    closes_at: Date;
    voided_reason: string | null;
  },
  now: Date,
): ProposalState {
  if (proposal.executed_at) return 'executed';
  if (proposal.voided_reason) return 'voided';
  if (proposal.outcome) return proposal.outcome;
  return proposal.closes_at > now ? 'open' : 'closed';
}
