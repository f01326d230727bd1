import { type Groth16Proof, groth16 } from 'snarkjs';
import { voteArtifacts } from './artifacts.js';
import { assertVoterSecret, assertWeight } from './commitment.js';
import { assertProposalId, voteNullifier } from './nullifier.js';
import type { SnapshotPath } from './snapshot-tree.js';
import { SNAPSHOT_DEPTH } from './snapshot-tree.js';
import { VOTE_CHOICES, type VoteChoice, type VoteStatement } from './vote-signals.js';

/** Everything a voter proves from. Only `root`, `proposalId`, `choice` and `tier` become public. */
export interface VoteWitness {
  readonly secret: bigint;
  /** The weight the server put in the voter's leaf (their stake when the proposal opened). */
  readonly weight: bigint;
  readonly path: SnapshotPath;
  readonly root: bigint;
  readonly proposalId: bigint;
  readonly choice: VoteChoice;
  /** The weight counted for this vote, at most the leaf's weight; defaults to all of it. */
  readonly tier?: bigint;
}

/** A vote proof as the voter sends it: no secret, no weight beyond the tier, no leaf position. */
export interface VoteProof {
  readonly proof: Groth16Proof;
  readonly publicSignals: string[];
  readonly statement: VoteStatement;
}

/** The circuit refused the witness: no proof exists for these inputs. */
export class VoteNotProvable extends Error {
  override readonly name = 'VoteNotProvable';
}

/** Where the witness generator and proving key are read from; the committed ones by default. */
export interface ProverArtifacts {
  readonly witnessGenerator: string;
  readonly provingKey: string;
}

/**
 * Proves a private vote on the voter's machine (Groth16, snarkjs). The secret and the weight go
 * into the witness only; the result holds the proof and the public statement. Rejects with
 * `VoteNotProvable` when Poseidon(Poseidon(secret), weight) is not a leaf of the snapshot of
 * `root`, the tier exceeds the weight, or the path is not a path.
 */
export async function proveVote(
  witness: VoteWitness,
  artifacts: ProverArtifacts = voteArtifacts,
): Promise<VoteProof> {
  assertVoterSecret(witness.secret);
  assertWeight(witness.weight);
  assertProposalId(witness.proposalId);
  const tier = witness.tier ?? witness.weight;
  assertWeight(tier, 'tier');
  if (witness.path.siblings.length !== SNAPSHOT_DEPTH) {
    throw new RangeError(`path must have ${SNAPSHOT_DEPTH} siblings (padded with 0)`);
  }
  const statement: VoteStatement = {
    root: witness.root,
    proposalId: witness.proposalId,
    nullifier: voteNullifier(witness.secret, witness.proposalId),
    choice: VOTE_CHOICES[witness.choice],
    tier,
  };
  const input = {
    root: statement.root.toString(),
    proposalId: statement.proposalId.toString(),
    nullifier: statement.nullifier.toString(),
    choice: statement.choice.toString(),
    tier: statement.tier.toString(),
    secret: witness.secret.toString(),
    weight: witness.weight.toString(),
    depth: witness.path.depth.toString(),
    index: witness.path.index.toString(),
    siblings: witness.path.siblings.map(String),
  };
  try {
    const { proof, publicSignals } = await groth16.fullProve(
      input,
      artifacts.witnessGenerator,
      artifacts.provingKey,
    );
    return { proof, publicSignals, statement };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (!/Assert Failed/i.test(reason)) throw error;
    throw new VoteNotProvable(
      `the vote circuit refused these inputs (a leaf outside the snapshot, a tier above the weight, or a malformed path): ${reason}`,
    );
  }
}
