import { problemResponses } from '../../../platform/openapi-responses.js';
import type { WriteContext } from '../../routes/perform.js';
import type { VerificationKeys } from '../operations/cast-vote.js';

/** What the governance routes need besides the ledger's write context. */
export interface GovernanceContext extends WriteContext {
  /** Whole AIA_GOV a proposer must have staked (GOVERNANCE_PROPOSAL_THRESHOLD). */
  readonly proposalThreshold: bigint;
  /** The verification keys: the vote circuit's, and the ownership circuit's (signed votes). */
  readonly verificationKeys: VerificationKeys;
}

export const GOVERNANCE_PROBLEMS = problemResponses({
  403: 'A required scope is missing, the caller does not own the account, or the proposer has too little AIA_GOV staked',
  404: 'No such account or proposal',
  409: 'Voting is closed, the voter has already voted, the commitment is registered by another account, or an Idempotency-Key was reused',
  422: 'A field is invalid, or a vote is refused: malformed or invalid proof, wrong root or proposal, changed choice, voter not in the snapshot, mode not accepted',
});
