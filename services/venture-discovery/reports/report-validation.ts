import jsonld, { type JsonLdDocument, type NodeObject } from 'jsonld';
import type { FieldIssue } from '../../platform/errors.js';
import { fieldIssuesFromZod } from '../../platform/zod-issues.js';
import { REPORT_CONTEXT_DOCUMENT, REPORT_CONTEXT_URL } from './report-context.js';
import type { ReportKind } from './report-ids.js';
import { REPORT_SHAPES, type ReportDocument } from './report-shape.js';

/** What a JSON-LD document loader answers (jsonld's `RemoteDocument`). */
interface RemoteDocument {
  readonly contextUrl: string | undefined;
  readonly documentUrl: string;
  readonly document: unknown;
}

/**
 * The JSON-LD document loader of the service: it serves the reports' own context from memory
 * and refuses every other URL. Nothing is ever fetched from the network, so validating a report
 * neither leaks what it is validating nor depends on a remote site (nor lets a document make
 * the service fetch an address of its choosing).
 */
export async function reportDocumentLoader(url: string): Promise<RemoteDocument> {
  if (url === REPORT_CONTEXT_URL)
    return { contextUrl: undefined, documentUrl: url, document: REPORT_CONTEXT_DOCUMENT };
  throw new Error(`refused to load ${url}: reports may only use ${REPORT_CONTEXT_URL}`);
}

/** A report that must not be stored, with every problem found. */
export class InvalidReportError extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid report: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
    this.name = 'InvalidReportError';
  }
}

/**
 * The reason jsonld gives: safe mode reports the lossy event (`invalid property`, with the term)
 * in the error's details, under a generic message.
 */
function expansionFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { details?: { event?: { code?: string; details?: unknown } } }).details;
  const event = details?.event;
  return event === undefined
    ? error.message
    : `${event.code ?? error.message} ${JSON.stringify(event.details ?? {})}`;
}

/**
 * Expands `document` in JSON-LD safe mode (a term the context does not define, a relative IRI,
 * a value the processor would drop, all fail instead of vanishing) with the offline loader.
 */
export async function expandReport(document: unknown): Promise<NodeObject[]> {
  return jsonld.expand(
    document as JsonLdDocument,
    {
      documentLoader: reportDocumentLoader,
      safe: true,
    } as Parameters<typeof jsonld.expand>[1],
  );
}

/**
 * Checks a report of `kind` both ways before it is stored: its shape (zod, every field named on
 * failure) and its meaning (expansion with the jsonld library, which must yield one Report node).
 * Returns the document typed; throws {@link InvalidReportError} listing every problem.
 */
export async function validateReport(kind: ReportKind, document: unknown): Promise<ReportDocument> {
  const shape = REPORT_SHAPES[kind].safeParse(document);
  if (!shape.success) throw new InvalidReportError(fieldIssuesFromZod(shape.error, '(report)'));
  let expanded: NodeObject[];
  try {
    expanded = await expandReport(document);
  } catch (error) {
    throw new InvalidReportError([
      { field: '(report)', reason: `JSON-LD expansion failed: ${expansionFailure(error)}` },
    ]);
  }
  const reports = expanded.filter((node) =>
    [node['@type']].flat().includes(`${REPORT_CONTEXT_DOCUMENT['@context'].schema}Report`),
  );
  if (expanded.length !== 1 || reports.length !== 1)
    throw new InvalidReportError([
      {
        field: '(report)',
        reason: `expands to ${expanded.length} nodes, expected one schema:Report`,
      },
    ]);
  return shape.data;
}
