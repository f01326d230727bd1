import { compilePattern, sampleRegex } from './regex-sample.js';
import { sha256 } from './seed.js';

/** What a string must satisfy: the JSON Schema keywords that constrain strings. */
export interface StringRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  /** Every pattern must match (one from `pattern`, more from merged `allOf` members). */
  readonly patterns: readonly string[];
}

/** Lengths in code points, as JSON Schema (and zod) count them: an emoji is one, not two. */
const lengthOf = (text: string): number => [...text].length;
const cut = (text: string, length: number): string => [...text].slice(0, length).join('');

const EPOCH_MS = Date.UTC(2020, 0, 1);
const FIVE_YEARS_S = 5 * 365 * 86_400;

const slug = (words: readonly string[]): string =>
  words
    .map((word) => word.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter((word) => word.length > 0)
    .join('-') || 'local';

function uuid(seed: number): string {
  const hex = sha256(`uuid:${seed}`);
  const variant = '89ab'[Number.parseInt(hex[16] as string, 16) % 4] as string;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A value of a well-known format, or undefined for formats left to the pattern sampler. */
function formatted(format: string, words: readonly string[], seed: number): string | undefined {
  const instant = new Date(EPOCH_MS + (seed % FIVE_YEARS_S) * 1000).toISOString();
  const [first = 'local', second = 'model'] = slug(words).split('-');
  switch (format) {
    case 'email':
    case 'idn-email':
      return `${first}.${second}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
    case 'uri-reference':
    case 'iri-reference':
      return `https://example.com/${slug(words)}`;
    case 'uuid':
    case 'guid':
      return uuid(seed);
    case 'date-time':
      return instant;
    case 'date':
      return instant.slice(0, 10);
    case 'time':
      return `${instant.slice(11, 19)}Z`;
    case 'duration':
      return `P${(seed % 28) + 1}D`;
    case 'hostname':
    case 'idn-hostname':
      return `${slug(words.slice(0, 2))}.example.com`;
    case 'ipv4':
      return `10.${(seed >>> 16) & 255}.${(seed >>> 8) & 255}.${seed & 255}`;
    case 'ipv6':
      return `2001:db8::${(seed & 0xffff).toString(16)}`;
    case 'byte':
    case 'base64':
      return Buffer.from(words.join(' ')).toString('base64');
    default:
      return undefined;
  }
}

/** A few prompt words, starting where the seed says, padded and cut to the length rules. */
function phrase(words: readonly string[], seed: number, rules: StringRules): string {
  const pool = words.length > 0 ? words : ['synthetic'];
  const start = seed % pool.length;
  const count = 1 + (seed % 3);
  const chosen: string[] = [];
  for (let i = 0; i < count || lengthOf(chosen.join(' ')) < (rules.minLength ?? 0); i += 1) {
    chosen.push(pool[(start + i) % pool.length] as string);
  }
  let text = chosen.join(' ');
  if (rules.maxLength !== undefined && lengthOf(text) > rules.maxLength) {
    text = cut(text, rules.maxLength);
    const trimmed = text.trimEnd();
    if (lengthOf(trimmed) >= (rules.minLength ?? 0)) text = trimmed;
  }
  return text;
}

/** The patterns' samples joined: a prefix (`^ab`), infixes, then a suffix (`yz$`), in that order. */
function joinedSamples(patterns: readonly string[]): string | undefined {
  const rank = (pattern: string) => (pattern.startsWith('^') ? 0 : pattern.endsWith('$') ? 2 : 1);
  const parts = [...patterns]
    .sort((a, b) => rank(a) - rank(b))
    .map((pattern) => sampleRegex(pattern));
  return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
}

function candidates(rules: StringRules, words: readonly string[], seed: number): string[] {
  const text = phrase(words, seed, rules);
  const list = [
    rules.format ? formatted(rules.format, words, seed) : undefined,
    text,
    text.toLowerCase(),
    text.toUpperCase(),
    slug(words),
  ];
  for (const pattern of rules.patterns) {
    for (const extra of [0, 1, 2, 4, 8, 16, 32, 64]) list.push(sampleRegex(pattern, extra));
  }
  if (rules.patterns.length > 1) list.push(joinedSamples(rules.patterns));
  return list.filter((candidate): candidate is string => candidate !== undefined);
}

/**
 * A string for a string schema, made from the prompt's words where the rules allow and from
 * the format or the patterns where they do not. Every candidate is checked against the length
 * rules and every pattern; when none passes, the first is returned and the caller's validation
 * says which rule it breaks.
 */
export function stringValue(rules: StringRules, words: readonly string[], seed: number): string {
  const regexes = rules.patterns.map(compilePattern);
  const fits = (value: string) =>
    lengthOf(value) >= (rules.minLength ?? 0) &&
    lengthOf(value) <= (rules.maxLength ?? Number.POSITIVE_INFINITY) &&
    regexes.every((regex) => regex === undefined || regex.test(value));
  const list = candidates(rules, words, seed);
  return list.find(fits) ?? (list[0] as string);
}
