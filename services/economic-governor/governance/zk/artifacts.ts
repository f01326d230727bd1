import { fileURLToPath } from 'node:url';

/**
 * Where the vote circuit's committed artifacts live (written by `npm run zk:setup`):
 * the witness generator and proving key a voter needs, the verification key the server needs.
 */
export const voteArtifacts = {
  directory: fileURLToPath(new URL('./artifacts/', import.meta.url)),
  witnessGenerator: fileURLToPath(new URL('./artifacts/vote.wasm', import.meta.url)),
  provingKey: fileURLToPath(new URL('./artifacts/vote.zkey', import.meta.url)),
  verificationKey: fileURLToPath(new URL('./artifacts/verification_key.json', import.meta.url)),
  sourceHash: fileURLToPath(new URL('./artifacts/circuit.sha256', import.meta.url)),
  circuitSource: fileURLToPath(new URL('./circuits/vote.circom', import.meta.url)),
} as const;

/**
 * The ownership circuit's artifacts (written by `npm run zk:setup` beside the vote circuit's): a
 * signed vote from an account with a leaf proves with them that its nullifier is the leaf's.
 */
export const ownershipArtifacts = {
  directory: voteArtifacts.directory,
  witnessGenerator: fileURLToPath(new URL('./artifacts/ownership.wasm', import.meta.url)),
  provingKey: fileURLToPath(new URL('./artifacts/ownership.zkey', import.meta.url)),
  verificationKey: fileURLToPath(
    new URL('./artifacts/ownership_verification_key.json', import.meta.url),
  ),
  sourceHash: fileURLToPath(new URL('./artifacts/ownership.sha256', import.meta.url)),
  circuitSource: fileURLToPath(new URL('./circuits/ownership.circom', import.meta.url)),
} as const;

/** Where one circuit's artifacts live: what the setup writes and the tests check. */
export type CircuitArtifacts = typeof voteArtifacts | typeof ownershipArtifacts;

/** Every circuit the setup generates keys for. */
export const CIRCUITS: readonly CircuitArtifacts[] = [voteArtifacts, ownershipArtifacts];
