import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import type { ApiKeys } from '../api-keys.js';
import { requirePerson } from '../caller-kind.js';
import { ApiKeyParamsSchema, ApiKeySchema, CreateApiKeySchema } from './schemas.js';

const CREATED = 201;
const PROBLEMS = problemResponses({
  403: 'The caller is not a person signed in with a token, or asked for a scope of its own it lacks',
  404: 'You have no such key',
});

/** People's API keys for their scripts: each person sees and revokes only their own. */
export function addApiKeyRoutes(app: OpenAPIHono<AppEnv>, keys: ApiKeys): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/auth/api-keys',
      tags: ['identity'],
      summary: 'Create an API key with some of your scopes and an expiry (the key is shown once)',
      security: BEARER_SECURITY,
      middleware: [requireJsonBody()],
      request: { body: jsonBodyOf(CreateApiKeySchema) },
      responses: {
        [CREATED]: jsonResponse(
          z.object({
            api_key: ApiKeySchema,
            key: z.string().openapi({ description: 'aia_<id>_<secret>: shown this once' }),
          }),
          'Created: keep the key, it is not shown again',
        ),
        401: PROBLEMS[401],
        403: PROBLEMS[403],
        415: PROBLEMS[415],
        422: PROBLEMS[422],
      },
    }),
    async (c) => {
      const owner = requirePerson(c.get('principal'), 'creating an API key');
      const created = await keys.create(owner, c.req.valid('json'));
      c.header('Cache-Control', 'no-store');
      return c.json(created, CREATED);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/auth/api-keys',
      tags: ['identity'],
      summary: 'Your API keys (never their secrets), newest first',
      security: BEARER_SECURITY,
      responses: {
        200: jsonResponse(z.object({ api_keys: z.array(ApiKeySchema) }), 'Your keys'),
        401: PROBLEMS[401],
        403: PROBLEMS[403],
      },
    }),
    async (c) => {
      const owner = requirePerson(c.get('principal'), 'listing API keys');
      return c.json({ api_keys: await keys.list(owner) });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/auth/api-keys/{id}',
      tags: ['identity'],
      summary: 'Revoke one of your API keys: refused from the next request on',
      security: BEARER_SECURITY,
      request: { params: ApiKeyParamsSchema },
      responses: {
        200: jsonResponse(z.object({ api_key: ApiKeySchema }), 'Revoked'),
        401: PROBLEMS[401],
        403: PROBLEMS[403],
        404: PROBLEMS[404],
        422: PROBLEMS[422],
      },
    }),
    async (c) => {
      const owner = requirePerson(c.get('principal'), 'revoking an API key');
      return c.json({ api_key: await keys.revoke(owner, c.req.valid('param').id) });
    },
  );
}
