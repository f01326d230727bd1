import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { JwtVerifier } from '../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../platform/openapi-responses.js';
import type { AppEnv } from '../platform/types.js';
import { requireJsonBody } from '../platform/validation.js';

const IntrospectionRequest = z.strictObject({
  token: z.string().min(1, 'must not be empty').max(8192, 'must be at most 8192 characters'),
});

const Introspection = z.union([
  z.object({ active: z.literal(true), sub: z.string(), scope: z.string() }),
  z.object({ active: z.literal(false) }),
]);

const { 401: unauthorized, 415: notJson, 422: invalid } = problemResponses();

/**
 * The gateway's own routes. `GET /whoami` answers who the bearer token says the caller is;
 * `POST /auth/introspect` (RFC 7662 style) tells an authenticated caller whether another token is
 * active here, so upstreams and tools need not hold the signing key.
 */
export function addGatewayRoutes(app: OpenAPIHono<AppEnv>, verify: JwtVerifier): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/whoami',
      tags: ['identity'],
      summary: 'The subject and scopes of the bearer token',
      security: BEARER_SECURITY,
      responses: {
        200: jsonResponse(
          z.object({ subject: z.string(), scopes: z.array(z.string()) }),
          'The caller',
        ),
        401: unauthorized,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      return c.json({ subject: principal?.subject, scopes: [...(principal?.scopes ?? [])].sort() });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/auth/introspect',
      tags: ['identity'],
      summary: 'Whether a token is active here, and whose it is (RFC 7662 style)',
      security: BEARER_SECURITY,
      middleware: [requireJsonBody()],
      request: { body: jsonBodyOf(IntrospectionRequest) },
      responses: {
        200: jsonResponse(Introspection, 'Active with its subject and scope, or not active'),
        401: unauthorized,
        415: notJson,
        422: invalid,
      },
    }),
    async (c) => c.json(await introspect(verify, c.req.valid('json').token)),
  );
}

async function introspect(verify: JwtVerifier, token: string) {
  try {
    const principal = await verify(token);
    return { active: true, sub: principal.subject, scope: [...principal.scopes].sort().join(' ') };
  } catch {
    return { active: false };
  }
}
