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
