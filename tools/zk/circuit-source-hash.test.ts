import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CIRCUITS,
  voteArtifacts,
} from '../../services/economic-governor/governance/zk/artifacts.js';
import { powerFor } from './ceremony.js';
import {
  circuitSourceFiles,
  circuitSourceHash,
  installedCircomVersion,
  libraryDirectories,
} from './circuit-source-hash.js';

const root = process.cwd();

describe('the circuit artifacts', () => {
  it.each(CIRCUITS.map((circuit) => [circuit.circuitSource, circuit] as const))(
    'were generated from the current sources of %s',
    (_, circuit) => {
      const current = circuitSourceHash(circuit.circuitSource, root, installedCircomVersion(root));
      const recorded = readFileSync(circuit.sourceHash, 'utf8').trim();
      expect(recorded, 'the circuit changed: regenerate with npm run zk:setup').toBe(current);
    },
  );

  it('hash the circomlib and @zk-kit templates the circuit includes, not only the circuit', () => {
    const files = circuitSourceFiles(voteArtifacts.circuitSource, libraryDirectories(root)).map(
      (file) => relative(root, file),
    );
    expect(files).toContain(
      'node_modules/@zk-kit/binary-merkle-root.circom/src/binary-merkle-root.circom',
    );
    // Included by @zk-kit's template by bare name, found in circomlib's directory.
    expect(files).toContain('node_modules/circomlib/circuits/mux1.circom');
    expect(files).toContain('node_modules/circomlib/circuits/poseidon.circom');
    expect(files).toContain('node_modules/circomlib/circuits/poseidon_constants.circom');
    expect(files).toContain('node_modules/circomlib/circuits/comparators.circom');
  });
});

describe('circuitSourceHash', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'zk-hash-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('changes when an included file changes, even though the circuit itself did not', () => {
    const circuit = join(scratch, 'main.circom');
    writeFileSync(circuit, 'pragma circom 2.1.0;\ninclude "part.circom";\n');
    writeFileSync(join(scratch, 'part.circom'), 'template A() {}\n');
    const before = circuitSourceHash(circuit, scratch, '0.2.23');
    writeFileSync(join(scratch, 'part.circom'), 'template A() { signal input x; }\n');
    expect(circuitSourceHash(circuit, scratch, '0.2.23')).not.toBe(before);
  });

  it('changes with the compiler version', () => {
    const circuit = join(scratch, 'alone.circom');
    writeFileSync(circuit, 'pragma circom 2.1.0;\n');
    expect(circuitSourceHash(circuit, scratch, '0.2.23')).not.toBe(
      circuitSourceHash(circuit, scratch, '0.2.24'),
    );
  });

  it('names a missing include', () => {
    const circuit = join(scratch, 'broken.circom');
    writeFileSync(circuit, 'include "absent.circom";\n');
    expect(() => circuitSourceHash(circuit, scratch, '0.2.23')).toThrow(/absent\.circom/);
  });
});

describe('powerFor', () => {
  it('picks the smallest power whose domain holds constraints, public signals and one', () => {
    expect(powerFor(5532, 5)).toBe(13);
    expect(powerFor(8186, 5)).toBe(13);
    expect(powerFor(8187, 5)).toBe(14);
  });
});
