import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutboundPolicy } from '../../platform/outbound/public-fetch.js';
import type { RawItem } from '../domain/signal.js';
import { decodeText } from './decode-text.js';
import { fetchLimited, type Validators } from './fetch-limited.js';
import { parseFeed } from './parse-feed.js';
import { type FieldMapping, parseCsvItems, parseJsonItems } from './parse-tabular.js';
import { SourceFailure } from './source-failure.js';

/** How a source is read: a feed, JSON or CSV over HTTP, an uploaded document, or a sample file. */
export type SourceKind = 'feed' | 'json' | 'csv' | 'upload' | 'sample' | 'events';

/** What reading a source needs to know about it. */
export interface ReadableSource {
  readonly kind: SourceKind;
  /** The URL (feed, json, csv) or the sample's file name (sample). */
  readonly url: string | null;
  readonly mapping: Partial<FieldMapping>;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export type ReadResult =
  | { readonly kind: 'not_modified' }
  | { readonly kind: 'items'; readonly items: RawItem[]; readonly validators: Validators };

/**
 * The directory of the sample sources the local stack discovers from without the internet: a
 * `sample` source names a file here, and nothing outside it can be read.
 */
export const SAMPLES_DIR = new URL('../samples/', import.meta.url);

/**
 * The items of a source now: fetched (within its limits, conditionally, through the guarded
 * fetch) or read from its sample file, decoded by the charset declared, and parsed by its kind
 * or its sample's extension. Throws {@link SourceFailure} saying why it gave nothing.
 */
export async function readSource(
  source: ReadableSource,
  policy: OutboundPolicy,
): Promise<ReadResult> {
  // Upload and events sources get their signals as they come (POST items, the bus): nothing to read.
  if (source.kind === 'upload' || source.kind === 'events')
    return { kind: 'items', items: [], validators: {} };
  if (source.kind === 'sample') {
    const file = sampleFile(source.url ?? '');
    const size = await stat(file).then(
      (found) => found.size,
      () => {
        throw new SourceFailure('unreachable', `the sample ${source.url} does not exist`);
      },
    );
    if (size > source.maxBytes)
      throw new SourceFailure(
        'too_large',
        `the sample is larger than the source's limit of ${source.maxBytes} bytes`,
      );
    const text = decodeText(await readFile(file), undefined);
    return {
      kind: 'items',
      items: parseByFormat(formatOf(file), text, source.mapping),
      validators: {},
    };
  }
  const fetched = await fetchLimited(
    source.url ?? '',
    { etag: source.etag, lastModified: source.lastModified },
    { maxBytes: source.maxBytes, timeoutMs: source.timeoutMs },
    policy,
  );
  if (fetched.kind === 'not_modified') return fetched;
  const text = decodeText(fetched.bytes, fetched.contentType);
  return {
    kind: 'items',
    items: parseByFormat(source.kind, text, source.mapping),
    validators: fetched.validators,
  };
}

/** The items of a document of `format` (an upload's body, a fetched text). */
export function parseByFormat(
  format: 'feed' | 'json' | 'csv',
  text: string,
  mapping: Partial<FieldMapping>,
): RawItem[] {
  if (format === 'feed') return parseFeed(text);
  const fields = { title: 'title', ...mapping };
  return format === 'json' ? parseJsonItems(text, fields) : parseCsvItems(text, fields);
}

/** A sample's path: only a plain file name in the samples directory, never a path out of it. */
export function sampleFile(name: string): string {
  if (name === '' || basename(name) !== name || name.startsWith('.'))
    throw new SourceFailure(
      'address_refused',
      `${name} is not a file name in the samples directory`,
    );
  return join(fileURLToPath(SAMPLES_DIR), name);
}

const formatOf = (file: string): 'feed' | 'json' | 'csv' =>
  file.endsWith('.json') ? 'json' : file.endsWith('.csv') ? 'csv' : 'feed';
