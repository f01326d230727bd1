import { performance } from 'node:perf_hooks';
import { discover, rankByMentions } from '../services/venture-discovery/domain/discovery.js';
import { DEFAULT_WEIGHTS } from '../services/venture-discovery/domain/weights.js';
import { CORPUS_NOW, CORPUS_WINDOW_DAYS, corpusSignals } from './discovery/corpus.js';
import { rankingQuality } from './discovery/ranking-quality.js';

/** One line of the report. */
const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `npm run bench -- discovery [runs]`: the deterministic discovery path on the labelled corpus
 * (bench/discovery/corpus.ts) against a plain baseline in the same run: the same clusters ranked
 * by how many signals mention them. Prints precision@5 and recall@10 of both rankings, and
 * signals per second of each (median of `runs`, default 20), with no database or network.
 */
export async function benchDiscovery(runs = 20): Promise<void> {
  const input = {
    signals: corpusSignals(),
    now: CORPUS_NOW,
    windowDays: CORPUS_WINDOW_DAYS,
    previousThemes: [],
    capabilities: 'unavailable' as const,
    weights: DEFAULT_WEIGHTS,
  };
  const time = (work: () => unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      work();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
  };
  const engine = rankingQuality(discover(input).candidates.map((c) => c.themes));
  const baseline = rankingQuality(rankByMentions(input).map((c) => c.themes));
  const engineMs = time(() => discover(input));
  const baselineMs = time(() => rankByMentions(input));
  const perSecond = (ms: number) => Math.round((input.signals.length / ms) * 1_000);
  const row = (name: string, q: typeof engine, ms: number) =>
    `${name.padEnd(22)} ${q.precisionAt5.toFixed(2).padStart(14)} ${q.recallAt10.toFixed(2).padStart(11)} ${String(perSecond(ms)).padStart(12)}`;
  say(`discovery on the labelled corpus: ${input.signals.length} signals, median of ${runs} runs`);
  say(
    `${'ranking'.padEnd(22)} ${'precision@5'.padStart(14)} ${'recall@10'.padStart(11)} ${'signals/s'.padStart(12)}`,
  );
  say(row('engine (six components)', engine, engineMs));
  say(row('baseline (mentions)', baseline, baselineMs));
  say(
    `precision@5 ratio engine/baseline: ${(engine.precisionAt5 / Math.max(baseline.precisionAt5, 1e-9)).toFixed(2)}; time ratio: ${(engineMs / baselineMs).toFixed(2)}`,
  );
}
