import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireScopes } from '../../platform/auth.js';
import { requestFingerprint } from '../../platform/idempotency/fingerprint.js';
import { type IdempotencyClaim, REPLAYED_HEADER } from '../../platform/idempotency/idempotent.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
  problemResponses,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { CreateEntrySchema, NewVersionSchema } from '../domain/entry-schemas.js';
import { REGISTRY_NAMES, type RegistryName } from '../domain/registries.js';
import { addVersion } from '../operations/add-version.js';
import { createEntry } from '../operations/create-entry.js';
import type { DkgContext } from '../operations/dkg-context.js';
import {
  getEntry,
  getVersion,
  listEntries,
  listVersions,
  relationsOf,
} from '../operations/read-entries.js';
import {
  EntryPageSchema,
  EntryReplySchema,
  EntryWithVersionSchema,
  IdParamsSchema,
  ListQuerySchema,
  RelationsSchema,
  VersionParamsSchema,
  VersionReplySchema,
  VersionsSchema,
} from './schemas.js';

const PROBLEMS = problemResponses({
  403: "A required scope is missing (dkg:read, dkg:write), or the entry is another's",
  404: 'No such entry or version',
  409: 'Refused by the registry (name_taken, version_conflict), or an Idempotency-Key reused with another request',
});
const read = () => [requireScopes('dkg:read')];
const write = () => [requireScopes('dkg:write')];
export const subjectOf = (c: Context<AppEnv>): string => c.get('principal')?.subject ?? 'anonymous';

const claimOf = (
  c: Context<AppEnv>,
  key: string | undefined,
  input: unknown,
): IdempotencyClaim | undefined =>
  key === undefined
    ? undefined
    : {
        subject: subjectOf(c),
        key,
        fingerprint: requestFingerprint(c.req.method, c.req.path, input),
      };

/** One registry's routes: entries (create, list, read), their versions and relations. */
function addRegistryRoutes(app: OpenAPIHono<AppEnv>, context: DkgContext, registry: RegistryName) {
  const tags = [registry];
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: `/${registry}`,
      tags,
      summary: `Register a ${registry} entry with its version 1; the caller owns it`,
      security: BEARER_SECURITY,
      middleware: [...write(), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(CreateEntrySchema) },
      responses: { 201: jsonResponse(EntryWithVersionSchema, 'Registered'), ...PROBLEMS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const claim = claimOf(c, c.req.valid('header')['idempotency-key'], input);
      const { reply, replayed } = await createEntry(context, subjectOf(c), registry, input, claim);
      return c.json(reply.body as never, 201, replayed ? REPLAYED_HEADER : {});
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: `/${registry}`,
      tags,
      summary: `The ${registry} registry in name order, one page at a time`,
      security: BEARER_SECURITY,
      middleware: read(),
      request: { query: ListQuerySchema },
      responses: { 200: jsonResponse(EntryPageSchema, 'One page'), ...PROBLEMS },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const { entries, next } = await listEntries(context, registry, {
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json({ entries, next_cursor: next });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: `/${registry}/{id}`,
      tags,
      summary: 'An entry as its current version has it',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(EntryReplySchema, 'The entry'), ...PROBLEMS },
    }),
    async (c) => c.json({ entry: await getEntry(context, registry, c.req.valid('param').id) }),
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: `/${registry}/{id}/versions`,
      tags,
      summary: 'Add the next version (owner only); earlier versions stay as they were',
      security: BEARER_SECURITY,
      middleware: [...write(), requireJsonBody()],
      request: {
        params: IdParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: jsonBodyOf(NewVersionSchema),
      },
      responses: { 201: jsonResponse(EntryWithVersionSchema, 'Added'), ...PROBLEMS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const claim = claimOf(c, c.req.valid('header')['idempotency-key'], input);
      const { id } = c.req.valid('param');
      const { reply, replayed } = await addVersion(
        context,
        subjectOf(c),
        registry,
        id,
        input,
        claim,
      );
      return c.json(reply.body as never, 201, replayed ? REPLAYED_HEADER : {});
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: `/${registry}/{id}/versions`,
      tags,
      summary: 'Every version of an entry, oldest first',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(VersionsSchema, 'The versions'), ...PROBLEMS },
    }),
    async (c) =>
      c.json({ versions: await listVersions(context, registry, c.req.valid('param').id) }),
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: `/${registry}/{id}/versions/{number}`,
      tags,
      summary: 'One version of an entry',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: VersionParamsSchema },
      responses: { 200: jsonResponse(VersionReplySchema, 'The version'), ...PROBLEMS },
    }),
    async (c) => {
      const { id, number } = c.req.valid('param');
      return c.json({ version: await getVersion(context, registry, id, number) });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: `/${registry}/{id}/relations`,
      tags,
      summary: "An entry's relations in both directions, with the node at the other end",
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(RelationsSchema, 'The relations'), ...PROBLEMS },
    }),
    async (c) =>
      c.json({ relations: await relationsOf(context, registry, c.req.valid('param').id) }),
  );
}

/** The four registries' routes. */
export function addEntryRoutes(app: OpenAPIHono<AppEnv>, context: DkgContext): void {
  for (const registry of REGISTRY_NAMES) addRegistryRoutes(app, context, registry);
}
