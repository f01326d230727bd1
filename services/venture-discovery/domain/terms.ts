/**
 * Deterministic term extraction: words and two-word phrases without stop words, and named
 * entities (capitalised word runs). No model involved: the same text always gives the same terms.
 */

const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves new news says said year years today week weeks month
months via per one two three first last next many much may might must need needs get gets got use
used using make makes made like well even still yet back way ways take takes according report
reports announced announces latest update updates time times day days people company companies`.split(
    /\s+/,
  ),
);

/** Words saying that a market is contested: they raise the competition density. */
export const COMPETITION_CUES = new Set([
  'competitor',
  'competitors',
  'rival',
  'rivals',
  'incumbent',
  'incumbents',
  'crowded',
  'saturated',
  'consolidation',
  'acquires',
  'acquired',
  'acquisition',
  'raises',
  'funding',
  'leader',
  'leaders',
  'dominant',
  'dominates',
]);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'-]*/gu;

/** A word's comparable form: lower case, possessive and a plural `s` dropped. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us'))
    w = w.slice(0, -1);
  return w;
}

/** The words of `text` in order, lower-cased and stemmed; stop words kept as `null` (they break phrases). */
export function tokens(text: string): (string | null)[] {
  return (text.match(WORD) ?? []).map((word) => {
    const lower = word.toLowerCase();
    if (STOP_WORDS.has(lower) || lower.length < 3 || /^\d+$/.test(lower)) return null;
    return stem(lower);
  });
}

/**
 * The terms of `text` with their counts: every kept word, and every two kept words in a row
 * (`ai bookkeeping`). Phrases carry more meaning, so the clustering weighs them higher.
 */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  const words = tokens(text);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    if (!word) continue;
    add(word);
    const next = words[i + 1];
    if (next) add(`${word} ${next}`);
  }
  return counts;
}

/** How many words of `text` say the market is contested. */
export function competitionCues(text: string): number {
  return (text.match(WORD) ?? []).filter((word) => COMPETITION_CUES.has(word.toLowerCase())).length;
}

const ENTITY_RUN = /\b[A-Z][\p{L}\p{N}&.-]*(?:\s+[A-Z][\p{L}\p{N}&.-]*)*/gu;
const ORGANIZATION_SUFFIX = /\b(Inc|Corp|Ltd|LLC|GmbH|Labs|AI|Group|Bank|Systems)\.?$/;

/** A named thing in a signal: `organization` when its name says so, else `name`. */
export interface Entity {
  readonly name: string;
  readonly kind: 'organization' | 'name';
}

/**
 * Capitalised word runs of `text` that are not stop words at a sentence's start: candidate
 * companies, products and places. Deterministic and crude by design; the LLM assist may refine.
 */
export function extractEntities(text: string): Entity[] {
  const found = new Map<string, Entity>();
  for (const match of text.matchAll(ENTITY_RUN)) {
    const words = match[0].split(/\s+/).filter((w) => !STOP_WORDS.has(w.toLowerCase()));
    if (words.length === 0) continue;
    const name = words.join(' ');
    if (name.length < 3 || name.length > 100) continue;
    const sentenceStart = match.index === 0 || /[.!?:]\s*$/.test(text.slice(0, match.index));
    if (sentenceStart && words.length === 1) continue;
    const kind = ORGANIZATION_SUFFIX.test(name) || words.length > 1 ? 'organization' : 'name';
    found.set(name.toLowerCase(), { name, kind });
  }
  return [...found.values()];
}
