import { describe, expect, it } from 'vitest';
import { CORPUS_NOW, CORPUS_WINDOW_DAYS, corpusSignals } from '../../../bench/discovery/corpus.js';
import { rankingQuality } from '../../../bench/discovery/ranking-quality.js';
import { discover, rankByMentions } from './discovery.js';
import { removeNearDuplicates } from './near-duplicates.js';
import type { Signal } from './signal.js';
import { DEFAULT_WEIGHTS } from './weights.js';

const input = {
  signals: corpusSignals(),
  now: CORPUS_NOW,
  windowDays: CORPUS_WINDOW_DAYS,
  previousThemes: [],
  capabilities: 'unavailable' as const,
  weights: DEFAULT_WEIGHTS,
};

const signal = (id: string, title: string, body: string, day: number): Signal => ({
  id,
  sourceId: 's',
  sourceName: 'S',
  title,
  body,
  url: undefined,
  publishedAt: new Date(Date.UTC(2026, 10, day)),
});

describe('discovery on the labelled corpus', () => {
  it('ranks the expected opportunities above the mention-count baseline', () => {
    const engine = rankingQuality(discover(input).candidates.map((c) => c.themes));
    const baseline = rankingQuality(rankByMentions(input).map((c) => c.themes));
    expect(engine.precisionAt5).toBeGreaterThan(baseline.precisionAt5);
    expect(engine.recallAt10).toBeGreaterThanOrEqual(baseline.recallAt10);
  });

  it('gives the same candidates in the same order for the same signals in any order', () => {
    const once = discover(input).candidates.map((c) => [c.key, c.scored.score]);
    const shuffled = discover({ ...input, signals: [...input.signals].reverse() });
    expect(shuffled.candidates.map((c) => [c.key, c.scored.score])).toEqual(once);
  });

  it('explains each score: the components sum to it and capability fit is marked neutral', () => {
    const [best] = discover(input).candidates;
    if (!best) throw new Error('no candidate');
    const total = Object.values(best.scored.components).reduce((s, c) => s + c.contribution, 0);
    expect(best.scored.score).toBeCloseTo(total, 3);
    expect(best.scored.components.capability_fit).toMatchObject({ value: 0.5, neutral: true });
  });

  it('scores a theme an earlier run found as less novel', () => {
    const first = discover(input).candidates[0];
    if (!first) throw new Error('no candidate');
    const again = discover({ ...input, previousThemes: [first.themes] }).candidates.find(
      (c) => c.key === first.key,
    );
    expect(again?.scored.components.novelty.value).toBeLessThan(
      first.scored.components.novelty.value,
    );
  });
});

describe('near-duplicate removal', () => {
  it('keeps the earliest of reworded copies and unrelated items', () => {
    const text =
      'Growers test crop scouting drones for early disease spotting in wheat fields this spring';
    const { kept, removed } = removeNearDuplicates([
      signal('b', 'copy', `${text} too`, 3),
      signal('a', 'original', text, 1),
      signal('c', 'other', 'Museum opens an exhibition of medieval maps and old globes', 2),
    ]);
    expect(removed).toBe(1);
    expect(kept.map((s) => s.id)).toEqual(['a', 'c']);
  });
});
