import {
  OutboundAddressError,
  type OutboundPolicy,
  publicFetch,
} from '../../platform/outbound/public-fetch.js';
import { SourceFailure } from './source-failure.js';

/** What a source may cost one fetch. */
export interface FetchLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** Validators from the source's previous answer, sent back so an unchanged source answers 304. */
export interface Validators {
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

export type FetchResult =
  | { readonly kind: 'not_modified' }
  | {
      readonly kind: 'fetched';
      readonly bytes: Uint8Array;
      readonly contentType: string | undefined;
      readonly validators: Validators;
    };

/**
 * GETs a source's URL through the guarded fetch (internal and link-local addresses refused
 * unless `policy.allowPrivate`; redirects not followed), with `If-None-Match` /
 * `If-Modified-Since` from the last answer, within `limits`: the whole fetch ends after
 * `timeoutMs`, and reading stops past `maxBytes` (the rest is never downloaded). Throws
 * {@link SourceFailure}: `address_refused`, `unreachable`, `fetch_timeout`, `http_status`,
 * `too_large`.
 */
export async function fetchLimited(
  url: string,
  validators: Validators,
  limits: FetchLimits,
  policy: OutboundPolicy,
): Promise<FetchResult> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const headers: Record<string, string> = {
    accept:
      'application/rss+xml, application/atom+xml, application/xml, application/json, text/csv, text/*;q=0.5',
    'user-agent': 'aia-venture-discovery/1',
  };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  try {
    const response = await publicFetch(url, { headers, signal }, policy);
    if (response.status === 304) {
      await response.body?.cancel();
      return { kind: 'not_modified' };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new SourceFailure('http_status', `the source answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(limits.maxBytes);
    }
    const bytes = await readAtMost(response, limits.maxBytes);
    return {
      kind: 'fetched',
      bytes,
      contentType: response.headers.get('content-type') ?? undefined,
      validators: {
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
      },
    };
  } catch (error) {
    if (error instanceof SourceFailure) throw error;
    if (error instanceof OutboundAddressError)
      throw new SourceFailure('address_refused', error.message);
    if (signal.aborted)
      throw new SourceFailure('fetch_timeout', `no complete answer within ${limits.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new SourceFailure(
      'unreachable',
      `the source could not be reached${cause ? ` (${cause})` : ''}`,
    );
  }
}

const tooLarge = (maxBytes: number) =>
  new SourceFailure(
    'too_large',
    `the document is larger than the source's limit of ${maxBytes} bytes`,
  );

/** The body, read chunk by chunk; past `maxBytes` the stream is cancelled and `too_large` thrown. */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
