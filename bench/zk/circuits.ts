import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { r1cs } from 'snarkjs';
import { voteArtifacts } from '../../services/economic-governor/governance/zk/artifacts.js';
import {
  circomArguments,
  circuitSourceHash,
  installedCircomVersion,
} from '../../tools/zk/circuit-source-hash.js';

const node = (root: string, script: string, args: readonly string[]): string =>
  execFileSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const circom = (root: string, circuit: string, work: string) =>
  node(root, 'node_modules/circom2/cli.js', circomArguments(root, circuit, work));

const snarkjs = (root: string, ...args: string[]) =>
  node(root, 'node_modules/snarkjs/build/cli.cjs', args);

/** What the R1CS of the committed vote circuit holds, compiled as `npm run zk:setup` does. */
export interface VoteCircuitFacts {
  readonly constraints: number;
  readonly wires: number;
  readonly publicInputs: number;
  /** Whether the compiled sources are the ones the committed artifacts were generated from. */
  readonly matchesCommittedArtifacts: boolean;
}

/**
 * Compiles the vote circuit into `work` with the setup's flags and reads the constraint count
 * from the R1CS file (snarkjs r1cs info), so the figure is the circuit's, not a number typed in.
 */
export async function voteCircuitFacts(root: string, work: string): Promise<VoteCircuitFacts> {
  circom(root, voteArtifacts.circuitSource, work);
  const info = await r1cs.info(join(work, 'vote.r1cs'));
  const recorded = readFileSync(voteArtifacts.sourceHash, 'utf8').trim();
  const hash = circuitSourceHash(voteArtifacts.circuitSource, root, installedCircomVersion(root));
  return {
    constraints: info.nConstraints,
    wires: info.nVars,
    publicInputs: info.nPubInputs,
    matchesCommittedArtifacts: hash === recorded,
  };
}

/** The floor circuit: one multiplication, one public input. Groth16 cannot be much smaller. */
const FLOOR_CIRCUIT = `pragma circom 2.1.0;
template Multiply() {
    signal input a;
    signal input b;
    signal output c;
    c <== a * b;
}
component main {public [a]} = Multiply();
`;

/** Powers-of-Tau power for the floor circuit: room for its constraint and signals, and fast. */
const FLOOR_POWER = 4;

/** The floor circuit's keys, witness generator, and what a proof of it needs. */
export interface FloorCircuit {
  readonly witnessGenerator: string;
  readonly provingKey: string;
  readonly verificationKey: object;
  readonly input: Record<string, string>;
}

/**
 * Compiles the floor circuit and runs a throwaway Groth16 setup for it in `work` (a few
 * seconds at power 4): generated at bench time rather than committed, so there is nothing to
 * keep in step with circom2 or snarkjs upgrades.
 */
export function floorCircuit(root: string, work: string): FloorCircuit {
  const circuit = join(work, 'floor.circom');
  writeFileSync(circuit, FLOOR_CIRCUIT);
  circom(root, circuit, work);
  const entropy = () => `-e=${randomBytes(32).toString('hex')}`;
  const tau = (name: string) => join(work, `floor_${name}.ptau`);
  snarkjs(root, 'powersoftau', 'new', 'bn128', String(FLOOR_POWER), tau('0'));
  snarkjs(root, 'powersoftau', 'contribute', tau('0'), tau('1'), '--name=bench', entropy());
  snarkjs(root, 'powersoftau', 'prepare', 'phase2', tau('1'), tau('final'));
  const initial = join(work, 'floor_0.zkey');
  const provingKey = join(work, 'floor.zkey');
  snarkjs(root, 'groth16', 'setup', join(work, 'floor.r1cs'), tau('final'), initial);
  snarkjs(root, 'zkey', 'contribute', initial, provingKey, '--name=bench', entropy());
  const verificationKey = join(work, 'floor_verification_key.json');
  snarkjs(root, 'zkey', 'export', 'verificationkey', provingKey, verificationKey);
  return {
    witnessGenerator: join(work, 'floor_js', 'floor.wasm'),
    provingKey,
    verificationKey: JSON.parse(readFileSync(verificationKey, 'utf8')) as object,
    input: { a: '3', b: '11' },
  };
}
