import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { problemResponses } from '../../platform/openapi-responses.js';
import { integerParam, textField } from '../../platform/request-fields.js';
import type { AppEnv } from '../../platform/types.js';
import {
  DEFAULT_EXPORT_PAGE,
  exportPage,
  MAX_EXPORT_PAGE,
  neighbourhoodDocument,
} from '../export/graph-export.js';
import type { JsonLdDocument } from '../export/json-ld-document.js';
import { MAX_NEIGHBOURHOOD_HOPS } from '../graph/graph-schema.js';
import type { DkgContext } from '../operations/dkg-context.js';

/** The media type of JSON-LD (RFC 6839 suffix on the W3C registration). */
export const JSON_LD = 'application/ld+json';

const PROBLEMS = problemResponses({ 403: 'A required scope is missing (dkg:read)' });
const query = (name: string) => ({ param: { name, in: 'query' as const } });

const JsonLdDocumentSchema = z
  .object({
    '@context': z.record(z.string(), z.unknown()),
    '@graph': z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('JsonLdDocument', {
    description:
      'Skills and task types as schema.org DefinedTerms (in a DefinedTermSet each), tools as SoftwareApplication and HowToTool, strategies as HowTo, agents as SoftwareApplication, versions as aia:Version; relations as properties (aia:hasSkill with aia:skillLevel, aia:requires, schema:tool, aia:appliesTo, schema:isBasedOn, aia:manages, aia:hasVersion). Every term is defined in the inline @context.',
  });
const jsonLdResponse = (description: string) => ({
  description,
  content: { [JSON_LD]: { schema: JsonLdDocumentSchema } },
});
const jsonLd = (document: JsonLdDocument, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(document), {
    status: 200,
    headers: { 'Content-Type': JSON_LD, ...headers },
  });

/** The knowledge graph, or one entry's neighbourhood, as JSON-LD. */
export function addExportRoutes(app: OpenAPIHono<AppEnv>, context: DkgContext): void {
  const read = [requireScopes('dkg:read')];
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/graph/export.jsonld',
      tags: ['graph'],
      summary: `The whole graph as JSON-LD, up to limit (1-${MAX_EXPORT_PAGE}) nodes a page with the relations from them; the next page's URL is in the Link header (rel="next")`,
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          limit: integerParam({
            min: 1,
            max: MAX_EXPORT_PAGE,
            default: DEFAULT_EXPORT_PAGE,
          }).openapi(query('limit')),
          cursor: textField({ min: 1, max: 2000 }).optional().openapi(query('cursor')),
        }),
      },
      responses: { 200: jsonLdResponse('One page of the graph'), ...PROBLEMS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const { document, next } = await exportPage(context, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (next === null) return jsonLd(document);
      // A reference relative to this document's own URL, so it holds wherever the API is
      // mounted (through the gateway the path has another prefix).
      const query = new URLSearchParams({ limit: String(limit), cursor: next });
      return jsonLd(document, { Link: `<export.jsonld?${query}>; rel="next"` });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/graph/neighbourhood.jsonld',
      tags: ['graph'],
      summary: `What lies within hops (1-${MAX_NEIGHBOURHOOD_HOPS}) relations of an entry, as JSON-LD`,
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          id: z.uuid('must be a UUID').openapi(query('id')),
          hops: integerParam({ min: 1, max: MAX_NEIGHBOURHOOD_HOPS, default: 1 }).openapi(
            query('hops'),
          ),
        }),
      },
      responses: { 200: jsonLdResponse('The neighbourhood'), ...PROBLEMS },
    }),
    async (c) => {
      const { id, hops } = c.req.valid('query');
      return jsonLd(await neighbourhoodDocument(context, id, hops));
    },
  );
}
