import arithmeticV1 from './benchmarks/arithmetic/v1.json' with { type: 'json' };
import extractionV1 from './benchmarks/extraction/v1.json' with { type: 'json' };
import { type BenchmarkSet, benchmarkSetOf } from './domain/benchmark-set.js';

/**
 * The benchmark set each skill is judged by: the newest file of its folder under
 * `benchmarks/<skill>/`. Imported as JSON modules, so the build carries them beside the code.
 * A new version is a new file (v2.json) listed here; the old one stays so an evaluation's
 * recorded version can still be read against the file it came from.
 */
const CURRENT_FILES: Readonly<Record<string, unknown>> = {
  'arithmetic/v1.json': arithmeticV1,
  'extraction/v1.json': extractionV1,
};

/** The benchmark sets by skill, as the tracker judges variants. */
export type BenchmarkSets = ReadonlyMap<string, BenchmarkSet>;

/** Loads and checks the benchmark sets (throws naming a file whose content is not valid). */
export function loadBenchmarkSets(
  files: Readonly<Record<string, unknown>> = CURRENT_FILES,
): BenchmarkSets {
  const sets = new Map<string, BenchmarkSet>();
  for (const [name, content] of Object.entries(files)) {
    const set = benchmarkSetOf(name, content);
    if (sets.has(set.skill))
      throw new Error(`benchmark set ${name}: skill ${set.skill} has a set already`);
    sets.set(set.skill, set);
  }
  return sets;
}
