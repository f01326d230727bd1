import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import { integerParam, textField } from '../../platform/request-fields.js';
import type { AppEnv } from '../../platform/types.js';
import { REGISTRY_NAMES } from '../domain/registries.js';
import { MAX_NEIGHBOURHOOD_HOPS, MAX_PATH_HOPS, NODE_LABELS } from '../graph/graph-schema.js';
import type { DkgContext } from '../operations/dkg-context.js';
import { neighbourhoodOf, pathBetween, searchEntries } from '../operations/graph-queries.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (dkg:read)',
  404: 'No chain of relations within the hops asked',
});
const query = (name: string) => ({ param: { name, in: 'query' as const } });
const idQuery = (name: string) => z.uuid('must be a UUID').openapi(query(name));

const NodeViewSchema = z
  .object({
    id: z.string(),
    label: z.enum(NODE_LABELS),
    name: z.string().nullable(),
    description: z.string().nullable(),
  })
  .openapi('GraphNode');
const EdgeViewSchema = z
  .object({ type: z.string(), from_id: z.string(), to_id: z.string(), level: z.int().nullable() })
  .openapi('GraphEdge');
const SubgraphSchema = z.object({ nodes: z.array(NodeViewSchema), edges: z.array(EdgeViewSchema) });

/** Search, neighbourhoods and paths over the registries' relations. */
export function addGraphRoutes(app: OpenAPIHono<AppEnv>, context: DkgContext): void {
  const read = [requireScopes('dkg:read')];
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/search',
      tags: ['graph'],
      summary:
        'Entries whose name or description has every word of q (a word matches words it begins)',
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          q: textField({ min: 1, max: 200 }).openapi(query('q')),
          registry: z
            .enum(REGISTRY_NAMES, { error: `must be one of ${REGISTRY_NAMES.join(', ')}` })
            .optional()
            .openapi(query('registry')),
          limit: integerParam({ min: 1, max: 100, default: 20 }).openapi(query('limit')),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ results: z.array(NodeViewSchema) }), 'Best match first'),
        ...PROBLEMS,
      },
    }),
    async (c) => {
      const { q, registry, limit } = c.req.valid('query');
      const results = await searchEntries(context, q, {
        limit,
        ...(registry === undefined ? {} : { registry }),
      });
      return c.json({ results });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/graph/neighbourhood',
      tags: ['graph'],
      summary: `What lies within hops (1-${MAX_NEIGHBOURHOOD_HOPS}) relations of an entry`,
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          id: idQuery('id'),
          hops: integerParam({ min: 1, max: MAX_NEIGHBOURHOOD_HOPS, default: 1 }).openapi(
            query('hops'),
          ),
        }),
      },
      responses: { 200: jsonResponse(SubgraphSchema, 'The neighbourhood'), ...PROBLEMS },
    }),
    async (c) => {
      const { id, hops } = c.req.valid('query');
      return c.json(await neighbourhoodOf(context, id, hops));
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/graph/path',
      tags: ['graph'],
      summary:
        'A shortest chain of relations between two entries, as the explanation of how they relate',
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          from: idQuery('from'),
          to: idQuery('to'),
          max_hops: integerParam({ min: 1, max: MAX_PATH_HOPS, default: 4 }).openapi(
            query('max_hops'),
          ),
        }),
      },
      responses: { 200: jsonResponse(SubgraphSchema, 'The path, in order'), ...PROBLEMS },
    }),
    async (c) => {
      const { from, to, max_hops: maxHops } = c.req.valid('query');
      return c.json(await pathBetween(context, from, to, maxHops));
    },
  );
}
