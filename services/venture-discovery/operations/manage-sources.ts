import { randomUUID } from 'node:crypto';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { assertPublicAddress, OutboundAddressError } from '../../platform/outbound/public-fetch.js';
import { inTransaction } from '../../platform/transactions.js';
import { redactUrl } from '../domain/redact-url.js';
import { normaliseItem } from '../domain/signal.js';
import { lockOpportunityWrites } from '../repository/opportunity-store.js';
import { insertSignals } from '../repository/signal-store.js';
import {
  deleteSource,
  findSource,
  insertSource,
  lockSource,
  opportunitiesBackedBy,
  type SourceRow,
  type SourceSettings,
  updateSource,
} from '../repository/source-store.js';
import { parseByFormat, sampleFile } from '../sources/read-source.js';
import { SourceFailure } from '../sources/source-failure.js';
import { type DiscoveryContext, nowOf } from './discovery-context.js';
import { checkEventSource } from './event-sources.js';

/**
 * Checks where a source points: an http(s) URL whose host resolves to addresses the outbound
 * policy allows (422 on `url` naming the host and why), or a sample's plain file name.
 */
async function checkLocation(context: DiscoveryContext, settings: SourceSettings): Promise<void> {
  const needsUrl = settings.kind === 'feed' || settings.kind === 'json' || settings.kind === 'csv';
  if (needsUrl) {
    if (!settings.url)
      throw new ValidationError([
        { field: 'url', reason: `is required for a ${settings.kind} source` },
      ]);
    try {
      await assertPublicAddress(settings.url, context.settings.outbound);
    } catch (error) {
      if (error instanceof OutboundAddressError)
        throw new ValidationError([{ field: 'url', reason: error.message }]);
      throw error;
    }
  } else if (settings.kind === 'sample') {
    try {
      sampleFile(settings.url ?? '');
    } catch (error) {
      throw new ValidationError([{ field: 'url', reason: (error as Error).message }]);
    }
  } else if (settings.kind === 'events') {
    checkEventSource(settings);
  } else if (settings.url !== null)
    throw new ValidationError([
      { field: 'url', reason: 'an upload source has no URL: post its items' },
    ]);
}

/** 422 on `interval_seconds` when a source would be scheduled more often than its rate limit. */
function checkSchedule(settings: Omit<SourceSettings, 'kind'>): void {
  if (settings.interval_seconds < settings.min_interval_seconds)
    throw new ValidationError([
      {
        field: 'interval_seconds',
        reason: `must be at least min_interval_seconds (${settings.min_interval_seconds}): a source is not read more often than its rate limit`,
      },
    ]);
}

const CONFLICT = 409;
const nameTaken = (name: string) =>
  new AppError(CONFLICT, 'source_name_taken', `a source named ${name} exists`);

/**
 * Adds a source; 409 `source_name_taken` when another source has its name, 422 on
 * `interval_seconds` below `min_interval_seconds`.
 */
export async function createSource(
  context: DiscoveryContext,
  settings: SourceSettings,
): Promise<SourceRow> {
  checkSchedule(settings);
  await checkLocation(context, settings);
  const row = await insertSource(context.sql, randomUUID(), settings);
  if (!row) throw nameTaken(settings.name);
  return row;
}

/**
 * Replaces a source's settings (its kind stays); 404 when absent. Its URL as shown (credentials
 * redacted) keeps the stored URL.
 */
export async function replaceSource(
  context: DiscoveryContext,
  id: string,
  settings: Omit<SourceSettings, 'kind'>,
): Promise<SourceRow> {
  checkSchedule(settings);
  const existing = await findSource(context.sql, id);
  if (!existing) throw new NotFoundError(`source ${id} does not exist`);
  // A URL sent back as GET showed it (credentials redacted) keeps the stored one.
  const url =
    existing.url !== null && settings.url === redactUrl(existing.url) ? existing.url : settings.url;
  const full = { ...settings, url, kind: existing.kind };
  await checkLocation(context, full);
  try {
    const row = await updateSource(context.sql, id, full);
    if (!row) throw new NotFoundError(`source ${id} does not exist`);
    return row;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw nameTaken(settings.name);
    throw error;
  }
}

/**
 * Removes a source and its signals; 404 when absent, 409 `source_backs_opportunities` when any
 * of its signals is evidence of an opportunity (removing it would strip that evidence: disable
 * it instead, `enabled: false`).
 */
export async function removeSource(context: DiscoveryContext, id: string): Promise<void> {
  await inTransaction(context.sql, async (tx) => {
    // Runs write evidence under this lock: none is added between the check and the delete.
    await lockOpportunityWrites(tx);
    if (!(await lockSource(tx, id))) throw new NotFoundError(`source ${id} does not exist`);
    const backed = await opportunitiesBackedBy(tx, id);
    if (backed > 0)
      throw new AppError(
        CONFLICT,
        'source_backs_opportunities',
        `source ${id} has signals that are evidence of ${backed} opportunities: disable it instead (enabled: false)`,
      );
    await deleteSource(tx, id);
  });
}

/**
 * Takes an uploaded document (JSON or CSV, by `format`) into an upload source's signals: 404
 * for no such source, 409 `not_an_upload_source` for another kind, 422 on `body` naming what is
 * wrong with the document. Nothing is kept from a document with a bad row.
 */
export async function uploadItems(
  context: DiscoveryContext,
  id: string,
  format: 'json' | 'csv',
  text: string,
): Promise<{ received: number; accepted: number }> {
  const source = await findSource(context.sql, id);
  if (!source) throw new NotFoundError(`source ${id} does not exist`);
  if (source.kind !== 'upload')
    throw new AppError(
      CONFLICT,
      'not_an_upload_source',
      `source ${id} is a ${source.kind} source; only upload sources take items`,
    );
  let items: ReturnType<typeof parseByFormat>;
  try {
    items = parseByFormat(format, text, source.mapping);
  } catch (error) {
    if (error instanceof SourceFailure)
      throw new ValidationError([{ field: 'body', reason: `${error.code}: ${error.message}` }]);
    throw error;
  }
  const now = nowOf(context);
  const signals = items.flatMap((item) => normaliseItem(item, now) ?? []);
  const accepted = await insertSignals(context.sql, id, signals);
  context.metrics?.signals.inc(accepted);
  return { received: items.length, accepted };
}
