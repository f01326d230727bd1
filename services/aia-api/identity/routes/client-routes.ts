import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import { requirePerson } from '../caller-kind.js';
import type { MachineClients } from '../machine-clients.js';
import type { RoleName } from '../roles.js';
import {
  ClientParamsSchema,
  ClientSchema,
  CreateClientSchema,
  CreatedClientSchema,
} from './schemas.js';

const CREATED = 201;
const admin = () => [requireScopes('identities:admin')];
const PROBLEMS = problemResponses({
  403: 'identities:admin is missing, the caller is not a person, or a scope the caller lacks was asked for',
  404: 'No such client',
});

/** Machine clients for the OAuth 2.0 client credentials grant: created and revoked by administrators. */
export function addClientRoutes(app: OpenAPIHono<AppEnv>, clients: MachineClients): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/auth/clients',
      tags: ['identity'],
      summary: 'Create a machine client with a role or scopes (its secret is shown once)',
      security: BEARER_SECURITY,
      middleware: [...admin(), requireJsonBody()],
      request: { body: jsonBodyOf(CreateClientSchema) },
      responses: {
        [CREATED]: jsonResponse(
          CreatedClientSchema,
          'Created: keep client_secret, it is not shown again',
        ),
        401: PROBLEMS[401],
        403: PROBLEMS[403],
        415: PROBLEMS[415],
        422: PROBLEMS[422],
      },
    }),
    async (c) => {
      const creator = requirePerson(c.get('principal'), 'creating a client');
      const { name, role, scopes } = c.req.valid('json');
      const grant = role !== undefined ? { role: role as RoleName } : { scopes: scopes ?? [] };
      const created = await clients.create(creator, { name, ...grant });
      c.header('Cache-Control', 'no-store');
      return c.json(created, CREATED);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/auth/clients/{id}',
      tags: ['identity'],
      summary: 'Revoke a machine client: its secret gets no more tokens',
      security: BEARER_SECURITY,
      middleware: admin(),
      request: { params: ClientParamsSchema },
      responses: {
        200: jsonResponse(z.object({ client: ClientSchema }), 'Revoked'),
        401: PROBLEMS[401],
        403: PROBLEMS[403],
        404: PROBLEMS[404],
        422: PROBLEMS[422],
      },
    }),
    async (c) => c.json({ client: await clients.revoke(c.req.valid('param').id) }),
  );
}
