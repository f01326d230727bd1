import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { voteArtifacts } from '../services/economic-governor/governance/zk/artifacts.js';
import {
  type CeremonyPaths,
  circuitKeys,
  compileCircuit,
  powerFor,
  selfGeneratedPowersOfTau,
} from './zk/ceremony.js';
import { circuitSourceHash, installedCircomVersion } from './zk/circuit-source-hash.js';

const USAGE = `npm run zk:setup [-- --force] [-- --ptau <prepared phase-2 .ptau file>]

Compiles services/economic-governor/governance/zk/circuits/vote.circom and writes the vote
circuit's artifacts (vote.wasm, vote.zkey, verification_key.json, circuit.sha256). Does nothing
when circuit.sha256 already matches the sources, unless --force. Without --ptau it generates its
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

const artifactsPresent = (): boolean =>
  [voteArtifacts.witnessGenerator, voteArtifacts.provingKey, voteArtifacts.verificationKey].every(
    (file) => existsSync(file),
  );

const recordedHash = (): string | undefined =>
  existsSync(voteArtifacts.sourceHash)
    ? readFileSync(voteArtifacts.sourceHash, 'utf8').trim()
    : undefined;

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stderr.write(`${USAGE}\n`);
    return EX_USAGE;
  }
  const root = process.cwd();
  const progress = (message: string) => process.stderr.write(`zk:setup  ${message}\n`);
  const hash = circuitSourceHash(voteArtifacts.circuitSource, root, installedCircomVersion(root));
  if (!options.force && recordedHash() === hash && artifactsPresent()) {
    progress(`artifacts match the circuit sources (sha256 ${hash}); nothing to do`);
    return 0;
  }
  const work = mkdtempSync(join(tmpdir(), 'aia-zk-setup-'));
  try {
    mkdirSync(voteArtifacts.directory, { recursive: true });
    const paths: CeremonyPaths = {
      root,
      circuit: voteArtifacts.circuitSource,
      work,
      artifacts: voteArtifacts.directory,
    };
    progress('compiling the vote circuit');
    const compiled = compileCircuit(paths);
    const power = powerFor(compiled.constraints, compiled.publicSignals);
    progress(`${compiled.constraints} constraints, ${compiled.publicSignals} public signals`);
    const powersOfTau = options.powersOfTau ?? selfGeneratedPowersOfTau(paths, power, progress);
    circuitKeys(paths, powersOfTau, progress);
    // Written last: a run that stops halfway leaves a hash that no longer matches.
    writeFileSync(voteArtifacts.sourceHash, `${hash}\n`);
    progress(`done: artifacts in ${voteArtifacts.directory}, sha256 ${hash}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`zk:setup failed: ${(error as Error).message}\n`);
  process.exit(1);
}
