import { CORPUS_THEMES, type LabelledTheme } from './corpus.js';

/** How well a ranking of themes finds the corpus's expected opportunities. */
export interface RankingQuality {
  /** Of the first five themes, the share that are expected opportunities (distinct ones). */
  readonly precisionAt5: number;
  /** Of the expected opportunities, the share found among the first ten themes. */
  readonly recallAt10: number;
}

/** The labelled theme a discovered theme is, if any: one whose words its theme words all hold. */
export function labelOf(themes: readonly string[]): LabelledTheme | undefined {
  const words = new Set(themes.slice(0, 4).flatMap((t) => t.split(' ')));
  return CORPUS_THEMES.find((label) => label.words.every((w) => words.has(w)));
}

/** Precision@5 and recall@10 of `ranking` (each entry a theme's terms, best first) against the labels. */
export function rankingQuality(ranking: readonly (readonly string[])[]): RankingQuality {
  const expected = CORPUS_THEMES.filter((label) => label.expected);
  const hits = (n: number) => {
    const found = new Set<LabelledTheme>();
    for (const themes of ranking.slice(0, n)) {
      const label = labelOf(themes);
      if (label?.expected) found.add(label);
    }
    return found.size;
  };
  return {
    precisionAt5: hits(5) / 5,
    recallAt10: hits(10) / expected.length,
  };
}
