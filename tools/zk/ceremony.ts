import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CircuitArtifacts } from '../../services/economic-governor/governance/zk/artifacts.js';
import { circomArguments } from './circuit-source-hash.js';

/** What the setup needs to know about where things are. */
export interface CeremonyPaths {
  readonly root: string;
  /** The circuit's source and where its artifacts go. */
  readonly circuit: CircuitArtifacts;
  readonly work: string;
}

export type Progress = (message: string) => void;

const run = (root: string, script: string, args: readonly string[]): string =>
  execFileSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const snarkjs = (root: string, ...args: string[]): string =>
  run(root, 'node_modules/snarkjs/build/cli.cjs', args);

const entropy = (): string => randomBytes(32).toString('hex');

/** What compiling the circuit reported. */
export interface CompiledCircuit {
  readonly constraints: number;
  readonly publicSignals: number;
}

const reported = (output: string, label: string): number => {
  const match = new RegExp(`(?:^|\\n)${label}: (\\d+)`).exec(output);
  if (!match) throw new Error(`circom did not report ${label}:\n${output}`);
  return Number(match[1]);
};

/** Compiles the circuit to R1CS and a witness generator. */
export function compileCircuit(paths: CeremonyPaths): CompiledCircuit {
  const output = run(
    paths.root,
    'node_modules/circom2/cli.js',
    circomArguments(paths.root, paths.circuit.circuitSource, paths.work),
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: circom colours its output
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return {
    constraints: reported(plain, 'non-linear constraints') + reported(plain, 'linear constraints'),
    publicSignals: reported(plain, 'public inputs') + reported(plain, 'public outputs'),
  };
}

/**
 * The smallest Powers-of-Tau power whose domain holds the circuit: Groth16 needs room for every
 * constraint plus one per public signal and one for the constant.
 */
export function powerFor(constraints: number, publicSignals: number): number {
  return Math.max(1, Math.ceil(Math.log2(constraints + publicSignals + 1)));
}

/**
 * A self-generated Powers-of-Tau with one contribution, prepared for phase 2. Not a trusted
 * ceremony: whoever ran it could have kept the toxic waste (docs/governance.md).
 */
export function selfGeneratedPowersOfTau(
  paths: CeremonyPaths,
  power: number,
  progress: Progress,
): string {
  const fresh = join(paths.work, 'pot_0000.ptau');
  const contributed = join(paths.work, 'pot_0001.ptau');
  const prepared = join(paths.work, 'pot_final.ptau');
  progress(`powers of tau: new accumulator at power ${power}`);
  snarkjs(paths.root, 'powersoftau', 'new', 'bn128', String(power), fresh);
  progress('powers of tau: one contribution (self-generated, not a trusted ceremony)');
  snarkjs(
    paths.root,
    'powersoftau',
    'contribute',
    fresh,
    contributed,
    '--name=aia-platform zk:setup',
    `-e=${entropy()}`,
  );
  progress('powers of tau: preparing phase 2 (the slow step, a few minutes)');
  snarkjs(paths.root, 'powersoftau', 'prepare', 'phase2', contributed, prepared);
  return prepared;
}

/**
 * Phase 2 for a circuit with a single contribution, then its artifacts: witness generator,
 * proving key, verification key. Checks the proving key against circuit and tau.
 */
export function circuitKeys(paths: CeremonyPaths, powersOfTau: string, progress: Progress): void {
  const name = basename(paths.circuit.circuitSource, '.circom');
  const r1cs = join(paths.work, `${name}.r1cs`);
  const initial = join(paths.work, `${name}_0000.zkey`);
  const provingKey = paths.circuit.provingKey;
  progress('phase 2: circuit-specific setup');
  snarkjs(paths.root, 'groth16', 'setup', r1cs, powersOfTau, initial);
  progress('phase 2: one contribution (a production setup needs several independent ones)');
  snarkjs(
    paths.root,
    'zkey',
    'contribute',
    initial,
    provingKey,
    '--name=aia-platform zk:setup phase 2',
    `-e=${entropy()}`,
  );
  progress('phase 2: checking the proving key against the circuit and the powers of tau');
  const verdict = snarkjs(paths.root, 'zkey', 'verify', r1cs, powersOfTau, provingKey);
  if (!/ZKey Ok!/.test(verdict)) throw new Error(`snarkjs zkey verify failed:\n${verdict}`);
  snarkjs(
    paths.root,
    'zkey',
    'export',
    'verificationkey',
    provingKey,
    paths.circuit.verificationKey,
  );
  copyFileSync(join(paths.work, `${name}_js`, `${name}.wasm`), paths.circuit.witnessGenerator);
}
