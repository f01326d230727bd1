import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  CIRCUITS,
  type CircuitArtifacts,
} from '../services/economic-governor/governance/zk/artifacts.js';
import {
  type CeremonyPaths,
  circuitKeys,
  compileCircuit,
  powerFor,
  selfGeneratedPowersOfTau,
} from './zk/ceremony.js';
import { circuitSourceHash, installedCircomVersion } from './zk/circuit-source-hash.js';

const USAGE = `npm run zk:setup [-- --force] [-- --ptau <prepared phase-2 .ptau file>]

Compiles each circuit under services/economic-governor/governance/zk/circuits/ (vote, ownership)
and writes its artifacts (vote.wasm, vote.zkey, verification_key.json, circuit.sha256; the same
with an ownership prefix). Does nothing for a circuit whose recorded hash already matches its
sources, unless --force. Without --ptau it generates its
own Powers-of-Tau: fine for development, not a trusted ceremony (docs/governance.md).`;

const EX_USAGE = 2;

interface SetupOptions {
  readonly force: boolean;
  readonly powersOfTau?: string;
}

function parseOptions(argv: readonly string[]): SetupOptions | undefined {
  let force = false;
  let powersOfTau: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--force') force = true;
    else if (argument === '--ptau' && argv[index + 1]) powersOfTau = resolve(argv[++index] ?? '');
    else return undefined;
  }
  return powersOfTau ? { force, powersOfTau } : { force };
}

const artifactsPresent = (circuit: CircuitArtifacts): boolean =>
  [circuit.witnessGenerator, circuit.provingKey, circuit.verificationKey].every((file) =>
    existsSync(file),
  );

const recordedHash = (circuit: CircuitArtifacts): string | undefined =>
  existsSync(circuit.sourceHash) ? readFileSync(circuit.sourceHash, 'utf8').trim() : undefined;

type Progress = (message: string) => void;

/** Generates one circuit's artifacts, unless they match its sources already (or `force`). */
function setUp(circuit: CircuitArtifacts, root: string, options: SetupOptions, progress: Progress) {
  const name = basename(circuit.circuitSource, '.circom');
  const hash = circuitSourceHash(circuit.circuitSource, root, installedCircomVersion(root));
  if (!options.force && recordedHash(circuit) === hash && artifactsPresent(circuit)) {
    progress(`${name}: artifacts match the circuit sources (sha256 ${hash}); nothing to do`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'aia-zk-setup-'));
  try {
    mkdirSync(circuit.directory, { recursive: true });
    const paths: CeremonyPaths = { root, circuit, work };
    const say = (message: string) => progress(`${name}: ${message}`);
    say('compiling the circuit');
    const compiled = compileCircuit(paths);
    const power = powerFor(compiled.constraints, compiled.publicSignals);
    say(`${compiled.constraints} constraints, ${compiled.publicSignals} public signals`);
    const powersOfTau = options.powersOfTau ?? selfGeneratedPowersOfTau(paths, power, say);
    circuitKeys(paths, powersOfTau, say);
    // Written last: a run that stops halfway leaves a hash that no longer matches.
    writeFileSync(circuit.sourceHash, `${hash}\n`);
    say(`done: artifacts in ${circuit.directory}, sha256 ${hash}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stderr.write(`${USAGE}\n`);
    return EX_USAGE;
  }
  const root = process.cwd();
  const progress = (message: string) => process.stderr.write(`zk:setup  ${message}\n`);
  for (const circuit of CIRCUITS) setUp(circuit, root, options, progress);
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`zk:setup failed: ${(error as Error).message}\n`);
  process.exit(1);
}
