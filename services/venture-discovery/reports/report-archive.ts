import { createHash } from 'node:crypto';
import { renderReportHtml } from './report-html.js';
import {
  parseVersionKey,
  REPORT_FORMATS,
  type ReportFormat,
  type ReportKind,
  type ReportRef,
  reportId,
  reportPrefix,
  runIndexKey,
  SUBJECT_ID,
  SUBJECT_ID_RULE,
  versionKey,
} from './report-ids.js';
import type { ReportDocument } from './report-shape.js';
import type { ReportStore, StoredObject } from './report-store.js';
import { InvalidReportError, validateReport } from './report-validation.js';

/** Keys asked for per store request when reading a report's versions. */
const VERSION_PAGE = 1000;
/** Attempts at a new version when another writer takes the number first. */
const MAX_ATTEMPTS = 3;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The bytes stored for a document: deterministic, so an unchanged report hashes the same. */
export const serializeReport = (document: ReportDocument): string =>
  `${JSON.stringify(document, null, 2)}\n`;

/** What publishing one report did. */
export interface PublishedReport {
  readonly id: string;
  readonly version: number;
  /** `created`: a new version; `unchanged`: the latest version already says this. */
  readonly status: 'created' | 'unchanged';
  readonly sha256: string;
}

/** Another writer kept taking the next version number. */
export class ReportVersionConflictError extends Error {
  constructor(readonly id: string) {
    super(`report ${id}: another writer took the next version ${MAX_ATTEMPTS} times`);
    this.name = 'ReportVersionConflictError';
  }
}

/** A report's versions, oldest first. */
export async function versionsOf(store: ReportStore, ref: ReportRef): Promise<number[]> {
  const versions = new Set<number>();
  let after: string | undefined;
  do {
    const page = await store.list(reportPrefix(ref), {
      limit: VERSION_PAGE,
      ...(after === undefined ? {} : { after }),
    });
    for (const key of page.keys) {
      const parsed = parseVersionKey(key);
      if (parsed?.format === 'jsonld') versions.add(parsed.version);
    }
    after = page.next;
  } while (after !== undefined);
  return [...versions].sort((a, b) => a - b);
}

/** Stores the page of a stored report version if it is missing (a writer stopped in between). */
async function ensurePage(
  store: ReportStore,
  ref: ReportRef,
  version: number,
  document: ReportDocument,
  jsonSha: string,
) {
  const html = renderReportHtml(document);
  await store.putIfAbsent({
    key: versionKey(ref, version, 'html'),
    body: html,
    contentType: REPORT_FORMATS.html,
    metadata: { sha256: sha256(html), 'report-sha256': jsonSha, 'report-id': reportId(ref) },
  });
}

/**
 * Publishes the report `build` makes for `ref`: validated (never stored otherwise), then stored as
 * a new version only if it differs from the latest one. `build(n)` must be a pure function of
 * the version number: the latest version is rebuilt under its own number and compared byte for
 * byte (by SHA-256) with what is stored. `runId` files the report under its run for listing.
 */
export async function publishReport(
  store: ReportStore,
  ref: ReportRef,
  runId: string,
  build: (version: number) => unknown,
): Promise<PublishedReport> {
  const badIds = [
    ...(SUBJECT_ID.test(ref.subject) ? [] : [{ field: `${ref.kind}.id`, reason: SUBJECT_ID_RULE }]),
    ...(SUBJECT_ID.test(runId) ? [] : [{ field: 'run.id', reason: SUBJECT_ID_RULE }]),
  ];
  // Ids become object keys: one that could escape its folder is refused before any request.
  if (badIds.length > 0) throw new InvalidReportError(badIds);
  const id = reportId(ref);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const latest = (await versionsOf(store, ref)).at(-1) ?? 0;
    if (latest > 0) {
      const again = await validateReport(ref.kind, build(latest));
      const body = serializeReport(again);
      const stored = await store.get(versionKey(ref, latest, 'jsonld'));
      if (stored !== undefined && sha256(stored.body) === sha256(body)) {
        await ensurePage(store, ref, latest, again, sha256(body));
        await fileUnderRun(store, runId, ref);
        return { id, version: latest, status: 'unchanged', sha256: sha256(body) };
      }
    }
    const version = latest + 1;
    const document = await validateReport(ref.kind, build(version));
    const body = serializeReport(document);
    const hash = sha256(body);
    const written = await store.putIfAbsent({
      key: versionKey(ref, version, 'jsonld'),
      body,
      contentType: REPORT_FORMATS.jsonld,
      metadata: { sha256: hash, 'report-id': id, version: String(version) },
    });
    if (written === 'exists') continue;
    await ensurePage(store, ref, version, document, hash);
    await fileUnderRun(store, runId, ref);
    return { id, version, status: 'created', sha256: hash };
  }
  throw new ReportVersionConflictError(id);
}

/** The marker that lists `ref` among the reports of run `runId` (written once). */
async function fileUnderRun(store: ReportStore, runId: string, ref: ReportRef) {
  await store.putIfAbsent({
    key: runIndexKey(runId, ref),
    body: '',
    contentType: 'text/plain',
    metadata: { 'report-id': reportId(ref) },
  });
}

/** One stored version of a report in one format, or undefined. `version` omitted: the latest. */
export async function readReport(
  store: ReportStore,
  ref: ReportRef,
  format: ReportFormat,
  version?: number,
): Promise<{ version: number; object: StoredObject } | undefined> {
  const chosen = version ?? (await versionsOf(store, ref)).at(-1);
  if (chosen === undefined) return undefined;
  const object = await store.get(versionKey(ref, chosen, format));
  return object === undefined ? undefined : { version: chosen, object };
}

/** A report as listed: which one, and which versions it has. */
export interface ReportSummary {
  readonly id: string;
  readonly kind: ReportKind;
  readonly subject: string;
  readonly versions: readonly number[];
  readonly latest: number;
}

export const summaryOf = (ref: ReportRef, versions: readonly number[]): ReportSummary => ({
  id: reportId(ref),
  kind: ref.kind,
  subject: ref.subject,
  versions,
  latest: versions.at(-1) ?? 0,
});
