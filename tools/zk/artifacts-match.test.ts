import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { r1cs, zKey } from 'snarkjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CIRCUITS } from '../../services/economic-governor/governance/zk/artifacts.js';
import { circomArguments } from './circuit-source-hash.js';

// circuit.sha256 says which sources the artifacts claim to come from; these check the artifacts
// themselves, so a hand-edited hash or a half-regenerated set fails too.
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'zk-artifacts-'));
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe.each(
  CIRCUITS.map((circuit) => [basename(circuit.circuitSource, '.circom'), circuit] as const),
)('the committed %s circuit artifacts', (name, circuit) => {
  it('hold the witness generator the current circuit compiles to (circom is deterministic)', () => {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/circom2/cli.js'),
        ...circomArguments(root, circuit.circuitSource, work),
      ],
      { cwd: root, stdio: 'ignore' },
    );
    expect(sha256(join(work, `${name}_js`, `${name}.wasm`)), 'run npm run zk:setup').toBe(
      sha256(circuit.witnessGenerator),
    );
  });

  it("hold a proving key built for the current circuit's constraints", async () => {
    // Runs after the compile above, which wrote the R1CS beside the witness generator.
    const compiled = await r1cs.exportJson(join(work, `${name}.r1cs`));
    const key = await zKey.exportJson(circuit.provingKey);
    expect(key.nVars).toBe(compiled.nVars);
    expect(key.nPublic).toBe(compiled.nPubInputs + compiled.nOutputs);
    // The key holds the A and B coefficients of every constraint (and one A term per public
    // signal that Groth16 adds after them): they must be the circuit's, one for one.
    const fromKey = key.ccoefs
      .filter((coefficient) => coefficient.constraint < compiled.nConstraints)
      .map(({ matrix, constraint, signal, value }) => `${matrix}:${constraint}:${signal}=${value}`)
      .sort();
    const fromCircuit = compiled.constraints
      .flatMap(([a, b], constraint) =>
        [a, b].flatMap((terms, matrix) =>
          Object.entries(terms).map(
            ([signal, value]) => `${matrix}:${constraint}:${signal}=${value}`,
          ),
        ),
      )
      .sort();
    expect(fromKey.length).toBe(fromCircuit.length);
    expect(fromKey).toEqual(fromCircuit);
  });

  it('hold the verification key of the committed proving key', async () => {
    const exported = await zKey.exportVerificationKey(circuit.provingKey);
    const committed = JSON.parse(readFileSync(circuit.verificationKey, 'utf8'));
    expect(JSON.parse(JSON.stringify(exported))).toEqual(committed);
  });
});
