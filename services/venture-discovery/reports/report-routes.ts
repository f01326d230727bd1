import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import { integerParam } from '../../platform/request-fields.js';
import type { AppEnv } from '../../platform/types.js';
import { readReport, versionsOf } from './report-archive.js';
import { REPORT_CONTEXT_DOCUMENT } from './report-context.js';
import { REPORT_PAGE_CSP } from './report-html.js';
import {
  parseReportId,
  REPORT_FORMATS,
  REPORT_KINDS,
  type ReportFormat,
  type ReportRef,
  reportId,
  SUBJECT_ID,
  SUBJECT_ID_RULE,
} from './report-ids.js';
import { InvalidCursorError, listReports } from './report-listing.js';
import type { ReportStore } from './report-store.js';

/** What the routes need: the feature flag's value and the store reports are kept in. */
export interface ReportRoutesDeps {
  /** `STRUCTURED_REPORTS_ENABLED`: off, every report route but the context answers 404. */
  readonly enabled: boolean;
  readonly store: ReportStore;
}

export const DEFAULT_REPORT_PAGE = 20;
export const MAX_REPORT_PAGE = 100;
const MAX_VERSION = 999_999_999;

/** The 404 of a report route while reports are off: says why, so nobody hunts a missing id. */
export class ReportsDisabledError extends AppError {
  constructor() {
    super(
      404,
      'reports_disabled',
      'structured reports are disabled (STRUCTURED_REPORTS_ENABLED is false)',
    );
  }
}

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (ventures:read)',
  404: 'No such report or version, or reports are disabled (problem reports_disabled)',
});
const query = (name: string) => ({ param: { name, in: 'query' as const } });

const subjectId = z.string().regex(SUBJECT_ID, SUBJECT_ID_RULE);
/** A report id, optionally with `.html` for its page. */
const ReportIdParam = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseReportId(value.replace(/\.html$/, ''));
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .openapi({
    param: { name: 'id', in: 'path' },
    example: 'opportunity-1c9a4d5f-2e3b-4d6c-8f7a-8b9c0d1e2f3a',
  });

const ReportSummarySchema = z
  .object({
    id: z.string(),
    kind: z.enum(REPORT_KINDS),
    subject: z.string(),
    versions: z.array(z.int()),
    latest: z.int(),
  })
  .openapi('ReportSummary');
const ReportListSchema = z
  .object({ items: z.array(ReportSummarySchema), next: z.string().optional() })
  .openapi('ReportList');
const ReportVersionsSchema = z
  .object({
    id: z.string(),
    versions: z.array(
      z.object({
        version: z.int(),
        sha256: z.string(),
        stored_at: z.string(),
        jsonld: z.string(),
        html: z.string(),
      }),
    ),
  })
  .openapi('ReportVersions');

const JsonLdDocumentSchema = z.record(z.string(), z.unknown()).openapi('ReportDocument', {
  description:
    'A schema.org Report (JSON-LD): about a DiscoveryRun (its source Datasets, failures, counts, weights) or an Opportunity (score, ScoreComponent PropertyValues, cited evidence). Its @context is the published context, served at /v1/reports/context.jsonld.',
});

/** Which format a request for a report asks for: the `.html` suffix, or HTML first in Accept. */
function formatOf(id: string, accept: string | undefined): ReportFormat {
  if (id.endsWith('.html')) return 'html';
  const first = (accept ?? '').split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return first === 'text/html' ? 'html' : 'jsonld';
}

const refOf = (id: string) => parseReportId(id.replace(/\.html$/, '')) as ReportRef;

/**
 * The report API: `GET /reports` (a page of reports, by kind, run or opportunity, each with its
 * versions), `GET /reports/{id}` (JSON-LD, or the page with `Accept: text/html` or `{id}.html`;
 * `?version=n` for an older one), `GET /reports/{id}/versions` (each version's hash and time),
 * and `GET /reports/context.jsonld` (the published context). Scope `ventures:read`.
 *
 * @example
 * addReportRoutes(routes, { enabled: config.STRUCTURED_REPORTS_ENABLED, store });
 */
export function addReportRoutes(
  app: OpenAPIHono<AppEnv>,
  { enabled, store }: ReportRoutesDeps,
): void {
  const read = [requireScopes('ventures:read')];
  const ensureEnabled = () => {
    if (!enabled) throw new ReportsDisabledError();
  };

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/reports/context.jsonld',
      tags: ['reports'],
      summary:
        'The JSON-LD context every report names (version 1), served whether reports are on or off',
      security: BEARER_SECURITY,
      middleware: read,
      responses: {
        200: {
          description: 'The context',
          content: { [REPORT_FORMATS.jsonld]: { schema: JsonLdDocumentSchema } },
        },
        ...PROBLEMS,
      },
    }),
    async () =>
      new Response(JSON.stringify(REPORT_CONTEXT_DOCUMENT), {
        headers: {
          'Content-Type': REPORT_FORMATS.jsonld,
          'Cache-Control': 'public, max-age=86400',
        },
      }),
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/reports',
      tags: ['reports'],
      summary: `Reports, limit (1-${MAX_REPORT_PAGE}) a page, filtered by kind, run (the run's report and its opportunities') or opportunity; the next page with cursor`,
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          kind: z
            .enum(REPORT_KINDS, { error: `must be ${REPORT_KINDS.join(' or ')}` })
            .optional()
            .openapi(query('kind')),
          run: subjectId.optional().openapi(query('run')),
          opportunity: subjectId.optional().openapi(query('opportunity')),
          limit: integerParam({
            min: 1,
            max: MAX_REPORT_PAGE,
            default: DEFAULT_REPORT_PAGE,
          }).openapi(query('limit')),
          cursor: z.string().min(1).max(2000).optional().openapi(query('cursor')),
        }),
      },
      responses: { 200: jsonResponse(ReportListSchema, 'One page of reports'), ...PROBLEMS },
    }),
    async (c) => {
      ensureEnabled();
      const { limit, cursor, ...filter } = c.req.valid('query');
      try {
        return c.json(await listReports(store, filter, { limit, ...(cursor ? { cursor } : {}) }));
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw new ValidationError([{ field: 'cursor', reason: error.message }]);
        throw error;
      }
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/reports/{id}/versions',
      tags: ['reports'],
      summary:
        "A report's versions, oldest first: each one's SHA-256 (of its JSON-LD) and when it was stored",
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: z.object({ id: ReportIdParam }) },
      responses: { 200: jsonResponse(ReportVersionsSchema, 'The versions'), ...PROBLEMS },
    }),
    async (c) => {
      ensureEnabled();
      const ref = refOf(c.req.valid('param').id);
      const numbers = await versionsOf(store, ref);
      if (numbers.length === 0) throw new NotFoundError(`no report ${reportId(ref)}`);
      const versions = await Promise.all(
        numbers.map(async (version) => {
          const stored = await readReport(store, ref, 'jsonld', version);
          return {
            version,
            sha256: stored?.object.metadata.sha256 ?? '',
            stored_at: stored?.object.lastModified ?? '',
            jsonld: `${reportId(ref)}?version=${version}`,
            html: `${reportId(ref)}.html?version=${version}`,
          };
        }),
      );
      return c.json({ id: reportId(ref), versions });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/reports/{id}',
      tags: ['reports'],
      summary:
        'A report: its JSON-LD, or its HTML page with Accept: text/html or the id followed by .html; the latest version unless version is given',
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        params: z.object({ id: ReportIdParam }),
        query: z.object({
          version: integerParam({ min: 1, max: MAX_VERSION }).optional().openapi(query('version')),
        }),
      },
      responses: {
        200: {
          description: 'The report',
          content: {
            [REPORT_FORMATS.jsonld]: { schema: JsonLdDocumentSchema },
            'text/html': { schema: z.string() },
          },
        },
        ...PROBLEMS,
      },
    }),
    async (c) => {
      ensureEnabled();
      const { id } = c.req.valid('param');
      const { version } = c.req.valid('query');
      const ref = refOf(id);
      const format = formatOf(id, c.req.header('accept'));
      const found = await readReport(store, ref, format, version);
      if (found === undefined)
        throw new NotFoundError(
          version === undefined
            ? `no report ${reportId(ref)}`
            : `report ${reportId(ref)} has no version ${version}`,
        );
      const headers: Record<string, string> = {
        'Content-Type': REPORT_FORMATS[format],
        'X-Report-Version': String(found.version),
        // Stored versions never change: the version's own URL may be cached for good.
        'Cache-Control':
          version === undefined ? 'private, no-cache' : 'private, max-age=31536000, immutable',
        Vary: 'Accept',
      };
      const hash = found.object.metadata.sha256;
      if (hash) headers.ETag = `"${hash}"`;
      if (format === 'html') headers['Content-Security-Policy'] = REPORT_PAGE_CSP;
      return new Response(found.object.body, { status: 200, headers });
    },
  );
}
