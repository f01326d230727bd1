import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { NotFoundError, UnsupportedMediaTypeError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import type { DiscoveryContext } from '../operations/discovery-context.js';
import {
  createSource,
  removeSource,
  replaceSource,
  uploadItems,
} from '../operations/manage-sources.js';
import { findSource, listSources } from '../repository/source-store.js';
import {
  IdParams,
  PageQuery,
  SourceBodySchema,
  SourcePageSchema,
  SourceSchema,
  SourceUpdateSchema,
} from './schemas.js';
import { sourceView } from './views.js';

const read = [requireScopes('ventures:read')];
const write = [requireScopes('ventures:write')];
const PROBLEMS = problemResponses({
  403: 'A required scope is missing (ventures:read, or ventures:write to change)',
  404: 'No such source',
  409: 'source_name_taken, not_an_upload_source for items posted to another kind, or source_backs_opportunities for removing a source whose signals are evidence (disable it instead)',
  415: 'Items must be application/json or text/csv',
  422: 'A field is invalid (a URL to an internal address names the host and why)',
});
const tags = ['sources'];

/** Sources: CRUD (`/sources`), and items posted to an upload source (`/sources/{id}/items`). */
export function addSourceRoutes(app: OpenAPIHono<AppEnv>, context: DiscoveryContext): void {
  const { sql } = context;
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/sources',
      tags,
      summary:
        'Adds a source: an RSS/Atom feed, JSON or CSV over HTTP, an upload, or a sample file',
      security: BEARER_SECURITY,
      middleware: write,
      request: { body: jsonBodyOf(SourceBodySchema) },
      responses: { 201: jsonResponse(SourceSchema, 'The source'), ...PROBLEMS },
    }),
    async (c) => c.json(sourceView(await createSource(context, c.req.valid('json'))), 201),
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/sources',
      tags,
      summary: 'Sources by name',
      security: BEARER_SECURITY,
      middleware: read,
      request: { query: z.object(PageQuery) },
      responses: { 200: jsonResponse(SourcePageSchema, 'One page of sources'), ...PROBLEMS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const after = cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString();
      const rows = await listSources(sql, {
        limit: limit + 1,
        ...(after === undefined ? {} : { afterName: after }),
      });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return c.json({
        items: items.map(sourceView),
        next_cursor:
          rows.length > limit && last ? Buffer.from(last.name).toString('base64url') : null,
      });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/sources/{id}',
      tags,
      summary: 'A source',
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: IdParams },
      responses: { 200: jsonResponse(SourceSchema, 'The source'), ...PROBLEMS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findSource(sql, id);
      if (!row) throw new NotFoundError(`source ${id} does not exist`);
      return c.json(sourceView(row));
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'put',
      path: '/sources/{id}',
      tags,
      summary: "Replaces a source's settings (its kind stays)",
      security: BEARER_SECURITY,
      middleware: write,
      request: { params: IdParams, body: jsonBodyOf(SourceUpdateSchema) },
      responses: { 200: jsonResponse(SourceSchema, 'The source'), ...PROBLEMS },
    }),
    async (c) =>
      c.json(
        sourceView(await replaceSource(context, c.req.valid('param').id, c.req.valid('json'))),
      ),
  );
  addRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/sources/{id}',
      tags,
      summary:
        'Removes a source and its signals; refused (409) while its signals are evidence of opportunities: disable it instead',
      security: BEARER_SECURITY,
      middleware: write,
      request: { params: IdParams },
      responses: { 204: { description: 'Removed' }, ...PROBLEMS },
    }),
    async (c) => {
      await removeSource(context, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/sources/{id}/items',
      tags,
      summary: "Posts a JSON or CSV document into an upload source's signals (through its mapping)",
      security: BEARER_SECURITY,
      middleware: write,
      request: { params: IdParams },
      responses: {
        200: jsonResponse(
          z.object({ received: z.number(), accepted: z.number() }),
          'Items read, and new signals kept',
        ),
        ...PROBLEMS,
      },
    }),
    async (c) => {
      const type = c.req.header('content-type');
      const media = type?.split(';')[0]?.trim().toLowerCase();
      const format =
        media === 'application/json' ? 'json' : media === 'text/csv' ? 'csv' : undefined;
      if (!format) throw new UnsupportedMediaTypeError(type, 'application/json or text/csv');
      return c.json(
        await uploadItems(context, c.req.valid('param').id, format, await c.req.text()),
      );
    },
  );
}
