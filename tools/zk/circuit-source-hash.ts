import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Compiler flags the setup compiles with: part of the hash, since they change the constraints. */
export const CIRCOM_FLAGS = ['--r1cs', '--wasm', '--O2'] as const;

/**
 * Where the circuit's includes are looked up (`-l`), under the repository root: node_modules for
 * `circomlib/...` and `@zk-kit/...`, and circomlib's own directory, which @zk-kit's templates
 * include from by bare name (`include "poseidon.circom"`).
 */
export const CIRCOM_LIBRARIES = ['node_modules', 'node_modules/circomlib/circuits'] as const;

/** The library directories of a repository root, absolute, in lookup order. */
export const libraryDirectories = (root: string): string[] =>
  CIRCOM_LIBRARIES.map((directory) => join(root, directory));

/** circom2's arguments that compile `circuit` into `work` the way the setup does. */
export const circomArguments = (root: string, circuit: string, work: string): string[] => [
  circuit,
  ...CIRCOM_FLAGS,
  '-o',
  work,
  ...libraryDirectories(root).flatMap((directory) => ['-l', directory]),
];

const INCLUDE = /^\s*include\s+"([^"]+)"\s*;/gm;

/**
 * Every source file a circuit compiles from: the circuit and, recursively, what it includes,
 * resolved as circom does (beside the including file first, then under each library directory).
 */
export function circuitSourceFiles(circuit: string, libraries: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (file: string): void => {
    if (found.has(file)) return;
    found.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(INCLUDE)) {
      const name = match[1] as string;
      const target = [dirname(file), ...libraries]
        .map((directory) => resolve(directory, name))
        .find((candidate) => existsSync(candidate));
      if (!target) throw new Error(`${file} includes ${name}, which was not found`);
      visit(target);
    }
  };
  visit(resolve(circuit));
  return [...found].sort();
}

/**
 * SHA-256 over the circuit's sources (its circomlib templates included), the circom compiler's
 * version and the compiler flags: what the committed artifacts were generated from.
 */
export function circuitSourceHash(circuit: string, root: string, compilerVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`circom2 ${compilerVersion} ${CIRCOM_FLAGS.join(' ')}\n`);
  for (const file of circuitSourceFiles(circuit, libraryDirectories(root))) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** The installed circom2 package's version, read from node_modules. */
export function installedCircomVersion(root: string): string {
  const manifest = JSON.parse(
    readFileSync(join(root, 'node_modules', 'circom2', 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}
