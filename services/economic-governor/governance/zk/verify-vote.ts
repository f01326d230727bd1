import { readFileSync } from 'node:fs';
import { type Groth16Proof, groth16 } from 'snarkjs';
import { voteArtifacts } from './artifacts.js';
import { parseDecimal, SCALAR_FIELD } from './field.js';
import { proofProblem } from './proof-shape.js';
import { EMPTY_SNAPSHOT_ROOT } from './snapshot-tree.js';
import {
  PUBLIC_SIGNAL_NAMES,
  VOTE_CHOICES,
  type VoteChoice,
  type VoteStatement,
} from './vote-signals.js';

/** Why a vote was refused, in the order they are checked. */
export type VoteRefusal =
  | 'malformed_proof'
  | 'malformed_public_signals'
  | 'public_signal_out_of_field'
  | 'wrong_root'
  | 'wrong_proposal'
  | 'invalid_choice'
  | 'choice_mismatch'
  | 'invalid_proof';

export type VoteVerdict =
  | { readonly ok: true; readonly statement: VoteStatement }
  | { readonly ok: false; readonly reason: VoteRefusal; readonly message: string };

/** What the server holds the vote to: the proposal's snapshot root and id, the choice claimed. */
export interface VoteExpectation {
  readonly root: bigint;
  readonly proposalId: bigint;
  /** The choice the ballot claims alongside its proof; when given, the proof must carry it. */
  readonly choice?: VoteChoice;
}

/** A vote as received: nothing about its shape is trusted yet. */
export interface VoteSubmission {
  readonly proof: unknown;
  readonly publicSignals: unknown;
}

/** Reads the committed verification key (or another, for a different setup). */
export function readVerificationKey(path: string = voteArtifacts.verificationKey): object {
  return JSON.parse(readFileSync(path, 'utf8')) as object;
}

const refuse = (reason: VoteRefusal, message: string): VoteVerdict => ({
  ok: false,
  reason,
  message,
});

/**
 * Verifies a private vote on the server: the proof's shape, the public signals' range, that the
 * statement is about this proposal's snapshot and the claimed choice, then the Groth16 proof
 * against the verification key. Never throws on bad input; refuses with a reason instead.
 */
export async function verifyVote(
  verificationKey: object,
  submission: VoteSubmission,
  expected: VoteExpectation,
): Promise<VoteVerdict> {
  const problem = proofProblem(submission.proof);
  if (problem) return refuse('malformed_proof', problem);
  const signals = submission.publicSignals;
  if (!Array.isArray(signals) || signals.length !== PUBLIC_SIGNAL_NAMES.length) {
    return refuse(
      'malformed_public_signals',
      `publicSignals must be ${PUBLIC_SIGNAL_NAMES.length} decimal strings (${PUBLIC_SIGNAL_NAMES.join(', ')})`,
    );
  }
  const values: bigint[] = [];
  for (const [index, name] of PUBLIC_SIGNAL_NAMES.entries()) {
    const value = parseDecimal(signals[index]);
    if (value === undefined) {
      return refuse(
        'malformed_public_signals',
        `publicSignals[${index}] (${name}) must be a decimal string`,
      );
    }
    if (value >= SCALAR_FIELD) {
      return refuse(
        'public_signal_out_of_field',
        `publicSignals[${index}] (${name}) is not below the BN254 scalar field modulus`,
      );
    }
    values.push(value);
  }
  const [root, proposalId, nullifier, choice, tier] = values as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  if (root === EMPTY_SNAPSHOT_ROOT || expected.root === EMPTY_SNAPSHOT_ROOT) {
    return refuse('wrong_root', 'root 0 is an empty snapshot: no vote can be in it');
  }
  if (root !== expected.root) {
    return refuse('wrong_root', "the proof is against another snapshot root than this proposal's");
  }
  if (proposalId !== expected.proposalId) {
    return refuse('wrong_proposal', 'the proof is for another proposal');
  }
  if (!Object.values(VOTE_CHOICES).includes(choice as never)) {
    return refuse('invalid_choice', 'choice must be 0 (against), 1 (for) or 2 (abstain)');
  }
  if (expected.choice !== undefined && choice !== VOTE_CHOICES[expected.choice]) {
    return refuse(
      'choice_mismatch',
      `the proof does not carry the claimed choice "${expected.choice}"`,
    );
  }
  let valid: boolean;
  try {
    valid = await groth16.verify(
      verificationKey,
      signals as string[],
      submission.proof as Groth16Proof,
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    return refuse('invalid_proof', 'the proof does not verify for these public signals');
  }
  return { ok: true, statement: { root, proposalId, nullifier, choice, tier } };
}
