import { type ReportSummary, summaryOf, versionsOf } from './report-archive.js';
import {
  parseVersionKey,
  REPORT_KINDS,
  REPORTS_PREFIX,
  type ReportKind,
  type ReportRef,
  reportId,
  reportPrefix,
  runIndexKey,
  runIndexPrefix,
} from './report-ids.js';
import type { ReportStore } from './report-store.js';

/** Which reports to list: all of them, or those of a kind, a run, an opportunity. */
export interface ReportFilter {
  readonly kind?: ReportKind;
  /** The run's own report and those of its opportunities. */
  readonly run?: string;
  readonly opportunity?: string;
}

export interface ReportPage {
  readonly items: readonly ReportSummary[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly next?: string;
}

/** A cursor that is not one this listing gave out (or one of another filter). */
export class InvalidCursorError extends Error {
  constructor() {
    super('is not a cursor of this listing (use the "next" of the previous page, same filters)');
    this.name = 'InvalidCursorError';
  }
}

/** Keys asked of the store per request while grouping keys into reports. */
const KEY_PAGE = 200;

/** A cursor is the last key of the previous page, opaque to callers. */
const encodeCursor = (key: string) => Buffer.from(key).toString('base64url');
function decodeCursor(cursor: string | undefined, prefix: string): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString();
  if (!key.startsWith(prefix) || encodeCursor(key) !== cursor) throw new InvalidCursorError();
  return key;
}

/** Reports whose versions sit under `prefix`, grouped from the version keys in key order. */
async function listGrouped(
  store: ReportStore,
  prefix: string,
  limit: number,
  cursor: string | undefined,
): Promise<ReportPage> {
  const items: ReportSummary[] = [];
  let current: { ref: ReportRef; versions: number[] } | undefined;
  let lastKeyOfCurrent: string | undefined;
  let after = decodeCursor(cursor, prefix);
  const close = () => {
    if (current)
      items.push(
        summaryOf(
          current.ref,
          current.versions.sort((a, b) => a - b),
        ),
      );
  };
  for (;;) {
    const page = await store.list(prefix, { limit: KEY_PAGE, ...(after ? { after } : {}) });
    for (const key of page.keys) {
      const parsed = parseVersionKey(key);
      if (parsed === undefined) continue;
      if (current === undefined || reportId(current.ref) !== reportId(parsed.ref)) {
        close();
        if (items.length === limit && lastKeyOfCurrent !== undefined)
          return { items, next: encodeCursor(lastKeyOfCurrent) };
        current = { ref: parsed.ref, versions: [] };
      }
      if (parsed.format === 'jsonld') current.versions.push(parsed.version);
      lastKeyOfCurrent = key;
    }
    if (page.next === undefined) break;
    after = page.next;
  }
  close();
  return { items };
}

/** The reports filed under a run (its markers), `limit` a page. */
async function listOfRun(
  store: ReportStore,
  run: string,
  kind: ReportKind | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<ReportPage> {
  const prefix = kind === undefined ? runIndexPrefix(run) : `${runIndexPrefix(run)}${kind}/`;
  const after = decodeCursor(cursor, prefix);
  const page = await store.list(prefix, { limit, ...(after ? { after } : {}) });
  const refs = page.keys.flatMap((key): ReportRef[] => {
    const [kindPart, subject] = key.slice(runIndexPrefix(run).length).split('/');
    return (REPORT_KINDS as readonly string[]).includes(kindPart ?? '') && subject
      ? [{ kind: kindPart as ReportKind, subject }]
      : [];
  });
  const items = await Promise.all(
    refs.map(async (ref) => summaryOf(ref, await versionsOf(store, ref))),
  );
  return page.next === undefined ? { items } : { items, next: encodeCursor(page.next) };
}

/**
 * One page of reports matching `filter`, in key order (kind, then subject id), each with its
 * versions. Throws {@link InvalidCursorError} for a cursor this listing did not give out.
 */
export async function listReports(
  store: ReportStore,
  filter: ReportFilter,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<ReportPage> {
  if (filter.opportunity !== undefined) {
    const ref: ReportRef = { kind: 'opportunity', subject: filter.opportunity };
    decodeCursor(cursor, reportPrefix(ref));
    const versions = await versionsOf(store, ref);
    const ofRun =
      filter.run === undefined || (await store.get(runIndexKey(filter.run, ref))) !== undefined;
    const matches =
      versions.length > 0 && ofRun && (filter.kind ?? 'opportunity') === 'opportunity';
    return { items: matches ? [summaryOf(ref, versions)] : [] };
  }
  if (filter.run !== undefined) return listOfRun(store, filter.run, filter.kind, limit, cursor);
  const prefix = filter.kind === undefined ? REPORTS_PREFIX : `${REPORTS_PREFIX}${filter.kind}/`;
  return listGrouped(store, prefix, limit, cursor);
}
