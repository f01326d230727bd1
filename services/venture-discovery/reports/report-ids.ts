/**
 * How reports are named: an id for the API (`run-<run id>`, `opportunity-<opportunity id>`), an
 * IRI inside the JSON-LD, and object keys in storage (`reports/<kind>/<subject>/v<n>.jsonld` and
 * `.html`). One place, so the store, the builders and the routes agree.
 */

/** What a report is about: a discovery run, or one opportunity of a run. */
export const REPORT_KINDS = ['run', 'opportunity'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A report's identity: its kind and the id of the run or opportunity it is about. */
export interface ReportRef {
  readonly kind: ReportKind;
  readonly subject: string;
}

/**
 * What a subject id may hold: it becomes part of an object key and a URL path, so letters,
 * digits, `-` and `_` only (UUIDs and slugs), never `/`, `.` or `..`.
 */
export const SUBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const SUBJECT_ID_RULE =
  'must be 1-128 letters, digits, "-" or "_", starting with a letter or digit';

/** The two files of each version. */
export const REPORT_FORMATS = {
  jsonld: 'application/ld+json',
  html: 'text/html; charset=utf-8',
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** Root of every report object, so the bucket can hold other things beside. */
export const REPORTS_PREFIX = 'reports/';
/** Markers of which reports a run produced: `report-runs/<run id>/<kind>/<subject>`. */
export const RUN_INDEX_PREFIX = 'report-runs/';

export const reportId = ({ kind, subject }: ReportRef): string => `${kind}-${subject}`;

/** The ref of an API id, or a sentence saying why it is not one. */
export function parseReportId(id: string): ReportRef | string {
  const dash = id.indexOf('-');
  const kind = id.slice(0, dash);
  const subject = id.slice(dash + 1);
  if (dash < 0 || !(REPORT_KINDS as readonly string[]).includes(kind))
    return `must start with ${REPORT_KINDS.map((k) => `"${k}-"`).join(' or ')}`;
  if (!SUBJECT_ID.test(subject)) return `the part after "${kind}-" ${SUBJECT_ID_RULE}`;
  return { kind: kind as ReportKind, subject };
}

/** The IRI of the report itself (one for all its versions). */
export const reportIri = ({ kind, subject }: ReportRef): string =>
  `urn:aia:ventures:report:${kind}:${subject}`;
export const runIri = (runId: string): string => `urn:aia:ventures:run:${runId}`;
export const opportunityIri = (id: string): string => `urn:aia:ventures:opportunity:${id}`;
export const signalIri = (id: string): string => `urn:aia:ventures:signal:${id}`;
export const sourceIri = (id: string): string => `urn:aia:ventures:source:${id}`;

/** The folder of a report's versions. */
export const reportPrefix = ({ kind, subject }: ReportRef): string =>
  `${REPORTS_PREFIX}${kind}/${subject}/`;

export const versionKey = (ref: ReportRef, version: number, format: ReportFormat): string =>
  `${reportPrefix(ref)}v${version}.${format}`;

/** A report version's key read back: undefined for anything else found under the prefix. */
export function parseVersionKey(
  key: string,
): { ref: ReportRef; version: number; format: ReportFormat } | undefined {
  const match = /^reports\/(run|opportunity)\/([^/]+)\/v([1-9]\d{0,8})\.(jsonld|html)$/.exec(key);
  if (!match) return undefined;
  const [, kind, subject, version, format] = match as unknown as [
    string,
    ReportKind,
    string,
    string,
    ReportFormat,
  ];
  if (!SUBJECT_ID.test(subject)) return undefined;
  return { ref: { kind, subject }, version: Number(version), format };
}

export const runIndexPrefix = (runId: string): string => `${RUN_INDEX_PREFIX}${runId}/`;
export const runIndexKey = (runId: string, ref: ReportRef): string =>
  `${runIndexPrefix(runId)}${ref.kind}/${ref.subject}`;
