import { redactUrl, redactUrlIn } from '../domain/redact-url.js';
import { normaliseItem } from '../domain/signal.js';
import type { RunSourceProgress } from '../repository/run-store.js';
import { insertSignals } from '../repository/signal-store.js';
import { markFailed, markFetched, type SourceRow } from '../repository/source-store.js';
import { readSource } from '../sources/read-source.js';
import { SourceFailure } from '../sources/source-failure.js';
import { type DiscoveryContext, nowOf } from './discovery-context.js';

/**
 * Reads each source in turn and keeps its new signals. A source that fails is recorded with its
 * failure (code and message) and the others are read all the same; a source read less than its
 * `min_interval_seconds` ago, successfully or not, is skipped (its rate limit); one answering
 * 304 has nothing new. Every attempt is recorded on the source, so a failing one is not due again
 * before its interval (with backoff).
 */
export async function fetchSources(
  context: DiscoveryContext,
  sources: readonly SourceRow[],
  onProgress: (progress: Record<string, RunSourceProgress>) => Promise<void>,
): Promise<Record<string, RunSourceProgress>> {
  const progress: Record<string, RunSourceProgress> = {};
  for (const source of sources) {
    // The run keeps (and shows, and reports) the URL without its credentials.
    const base = { name: source.name, kind: source.kind, url: redactUrl(source.url) };
    const now = nowOf(context);
    if (source.kind === 'upload' || source.kind === 'events') {
      progress[source.id] = { ...base, fetched: 0, accepted: 0, unchanged: true, failures: [] };
      continue;
    }
    // A failed attempt counts too: a failing source is not hammered within its rate limit.
    const last = (source.last_attempted_at ?? source.last_fetched_at)?.getTime();
    if (last !== undefined && now.getTime() - last < source.min_interval_seconds * 1_000) {
      progress[source.id] = { ...base, fetched: 0, accepted: 0, unchanged: true, failures: [] };
      continue;
    }
    try {
      const read = await readSource(
        {
          kind: source.kind,
          url: source.url,
          mapping: source.mapping,
          maxBytes: source.max_bytes,
          timeoutMs: source.timeout_ms,
          etag: source.etag,
          lastModified: source.last_modified,
        },
        context.settings.outbound,
      );
      if (read.kind === 'not_modified') {
        await markFetched(context.sql, source.id, undefined);
        progress[source.id] = { ...base, fetched: 0, accepted: 0, unchanged: true, failures: [] };
      } else {
        const signals = read.items.flatMap((item) => normaliseItem(item, now) ?? []);
        const accepted = await insertSignals(context.sql, source.id, signals);
        await markFetched(context.sql, source.id, read.validators);
        context.metrics?.signals.inc(accepted);
        progress[source.id] = { ...base, fetched: read.items.length, accepted, failures: [] };
      }
    } catch (error) {
      const failure =
        error instanceof SourceFailure
          ? { code: error.code, message: redactUrlIn(error.message, source.url) }
          : { code: 'unexpected', message: redactUrlIn((error as Error).message, source.url) };
      await markFailed(context.sql, source.id);
      context.logger?.warn({ source: source.id, ...failure }, 'source failed; the run goes on');
      progress[source.id] = { ...base, fetched: 0, accepted: 0, failures: [failure] };
    }
    await onProgress(progress);
  }
  return progress;
}
