import { tokens } from './terms.js';

/** A skill or tool of the platform, as the knowledge graph (DKG) lists it, reduced to its words. */
export interface Capability {
  readonly kind: 'skill' | 'tool';
  readonly name: string;
  /** Its name's, description's and tags' words, stemmed as theme words are (stop words dropped). */
  readonly words: ReadonlySet<string>;
}

/** What the platform can do (the DKG's skills and tools), or unknown: capability fit is then neutral. */
export type Capabilities = { readonly entries: readonly Capability[] } | 'unavailable';

/** A registry entry as the DKG lists it: the fields capability fit reads. */
export interface CapabilityEntry {
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
}

/** The words of a skill or tool: its name, description and tags, stemmed like theme words. */
export function capabilityOf(kind: Capability['kind'], entry: CapabilityEntry): Capability {
  const text = [entry.name, entry.description, ...entry.tags].join(' ');
  const words = new Set(tokens(text).filter((word): word is string => word !== null));
  return { kind, name: entry.name, words };
}

/** How well a theme fits the platform, with what explains it. */
export interface CapabilityFit {
  readonly value: number;
  /** The theme words some skill or tool has, in theme order. */
  readonly matchedWords: readonly string[];
  /** The skills and tools having a matched word: the most matched words first, then by name. */
  readonly matchedCapabilities: readonly Capability[];
  readonly explanation: string;
}

/** At most this many skills and tools are named in an explanation. */
const NAMED_IN_EXPLANATION = 5;

/**
 * Capability fit of a theme (its top terms, words and two-word phrases): the share of its
 * distinct words that some skill or tool of the platform has among its words, doubled and capped
 * at 1 (half the theme's words matching is a full fit: themes also carry market words no
 * capability names). Deterministic: the same themes and entries give the same value and
 * explanation, which names the matched skills and tools (most matched words first) and the words.
 */
export function capabilityFit(
  themes: readonly string[],
  capabilities: { readonly entries: readonly Capability[] },
): CapabilityFit {
  const words = [...new Set(themes.flatMap((theme) => theme.split(' ')))];
  const hits = capabilities.entries
    .map((capability) => ({
      capability,
      count: words.filter((word) => capability.words.has(word)).length,
    }))
    .filter((hit) => hit.count > 0)
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.capability.name.localeCompare(b.capability.name) ||
        a.capability.kind.localeCompare(b.capability.kind),
    );
  const matchedWords = words.filter((word) => hits.some((hit) => hit.capability.words.has(word)));
  const value = words.length === 0 ? 0 : Math.min(1, (2 * matchedWords.length) / words.length);
  const matchedCapabilities = hits.map((hit) => hit.capability);
  return {
    value,
    matchedWords,
    matchedCapabilities,
    explanation: explain(words.length, matchedWords, matchedCapabilities, capabilities.entries),
  };
}

function explain(
  themeWords: number,
  matchedWords: readonly string[],
  matched: readonly Capability[],
  entries: readonly Capability[],
): string {
  if (entries.length === 0) return 'the knowledge graph lists no skills or tools yet';
  if (matched.length === 0)
    return `no theme word matches any of the platform's ${entries.length} skills and tools`;
  const named = matched
    .slice(0, NAMED_IN_EXPLANATION)
    .map((c) => `${c.kind} "${c.name}"`)
    .join(', ');
  const more =
    matched.length > NAMED_IN_EXPLANATION
      ? ` and ${matched.length - NAMED_IN_EXPLANATION} more`
      : '';
  return `${matchedWords.length} of ${themeWords} theme words (${matchedWords.join(', ')}) match the platform's ${named}${more}`;
}
