import { createHash } from 'node:crypto';
import { canonicalUrl, normaliseText, parseDate } from './text.js';

/** One item as a source gave it: a feed entry, a JSON object or a CSV row, after its mapping. */
export interface RawItem {
  readonly title?: unknown;
  readonly text?: unknown;
  readonly url?: unknown;
  readonly publishedAt?: unknown;
}

/** An item normalised into a signal, ready to store: `fingerprint` is unique per source. */
export interface NormalisedSignal {
  readonly fingerprint: string;
  readonly title: string;
  readonly body: string;
  readonly url: string | undefined;
  readonly publishedAt: Date;
}

/** A stored signal, as the pipeline reads it. */
export interface Signal {
  readonly id: string;
  readonly sourceId: string;
  readonly sourceName: string;
  readonly title: string;
  readonly body: string;
  readonly url: string | undefined;
  readonly publishedAt: Date;
}

const TITLE_MAX = 500;
const BODY_MAX = 4_000;

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/**
 * Normalises one item: text cleaned, link canonicalised, date parsed (undated items count as
 * seen `now`). Undefined for an item with neither a title nor a text: nothing to learn from it.
 */
export function normaliseItem(item: RawItem, now: Date): NormalisedSignal | undefined {
  const body = normaliseText(asText(item.text), BODY_MAX);
  const title = normaliseText(asText(item.title), TITLE_MAX) || body.slice(0, 120);
  if (!title) return undefined;
  const url = canonicalUrl(asText(item.url) || undefined);
  const publishedAt = parseDate(item.publishedAt, now) ?? now;
  const identity = url ?? `${title.toLowerCase()}\n${body.toLowerCase()}`;
  const fingerprint = createHash('sha256').update(identity).digest('hex');
  return { fingerprint, title, body, url, publishedAt };
}
