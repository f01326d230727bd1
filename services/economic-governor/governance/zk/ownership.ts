import { type Groth16Proof, groth16 } from 'snarkjs';
import { ownershipArtifacts } from './artifacts.js';
import { assertVoterSecret, voterIdentity } from './commitment.js';
import { parseDecimal, SCALAR_FIELD } from './field.js';
import { assertProposalId, voteNullifier } from './nullifier.js';
import { proofProblem } from './proof-shape.js';

/**
 * What a signed vote from an account with a leaf carries instead of its secret: the nullifier a
 * private vote by the same secret would publish on the proposal, and a proof (the ownership
 * circuit) that it is that nullifier for the account's registered identity.
 */
export interface OwnershipProof {
  readonly nullifier: bigint;
  readonly proof: Groth16Proof;
}

/** Proves on the voter's machine that `nullifier` belongs to Poseidon(secret); a second or so. */
export async function proveOwnership(
  { secret, proposalId }: { secret: bigint; proposalId: bigint },
  artifacts: { witnessGenerator: string; provingKey: string } = ownershipArtifacts,
): Promise<OwnershipProof> {
  assertVoterSecret(secret);
  assertProposalId(proposalId);
  const nullifier = voteNullifier(secret, proposalId);
  const { proof } = await groth16.fullProve(
    {
      identity: voterIdentity(secret).toString(),
      proposalId: proposalId.toString(),
      nullifier: nullifier.toString(),
      secret: secret.toString(),
    },
    artifacts.witnessGenerator,
    artifacts.provingKey,
  );
  return { nullifier, proof };
}

export type OwnershipVerdict =
  | { readonly ok: true; readonly nullifier: bigint }
  | {
      readonly ok: false;
      readonly reason: 'malformed_ownership' | 'invalid_ownership';
      readonly message: string;
    };

/**
 * Verifies on the server that `submission` proves the nullifier of `identity` (the account's
 * registered identity in the snapshot) on `proposalId`. The public signals are built here from
 * what the server knows; only the nullifier and the proof come from the caller. Never throws.
 */
export async function verifyOwnership(
  verificationKey: object,
  expected: { identity: bigint; proposalId: bigint },
  submission: { nullifier: unknown; proof: unknown },
): Promise<OwnershipVerdict> {
  const nullifier =
    typeof submission.nullifier === 'bigint'
      ? submission.nullifier
      : parseDecimal(submission.nullifier);
  if (nullifier === undefined || nullifier < 0n || nullifier >= SCALAR_FIELD) {
    return {
      ok: false,
      reason: 'malformed_ownership',
      message: 'ownership.nullifier must be a decimal string below the BN254 scalar field modulus',
    };
  }
  const problem = proofProblem(submission.proof);
  if (problem) return { ok: false, reason: 'malformed_ownership', message: `ownership.${problem}` };
  const signals = [expected.identity, expected.proposalId, nullifier].map(String);
  let valid: boolean;
  try {
    valid = await groth16.verify(verificationKey, signals, submission.proof as Groth16Proof);
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true, nullifier }
    : {
        ok: false,
        reason: 'invalid_ownership',
        message:
          "ownership.proof does not show the nullifier belongs to the account's registered identity on this proposal",
      };
}
