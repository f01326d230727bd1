import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../../platform/types.js';
import type { MachineClients } from '../machine-clients.js';
import { OAuthError } from '../oauth-error.js';
import { parseTokenRequest } from '../token-request.js';

/** The token endpoint's path under `/v1`; it takes no bearer token (the kit must leave it open). */
export const TOKEN_PATH = '/auth/token';

const TokenForm = z
  .object({
    grant_type: z.literal('client_credentials'),
    scope: z
      .string()
      .optional()
      .openapi({ description: "Space-separated; narrows the client's scopes" }),
    client_id: z.string().optional().openapi({ description: 'Unless HTTP Basic is used' }),
    client_secret: z.string().optional().openapi({ description: 'Unless HTTP Basic is used' }),
  })
  .openapi('ClientCredentialsTokenRequest');

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string(),
  })
  .openapi('AccessToken');

const TokenError = z
  .object({
    error: z.enum(['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type']),
    error_description: z.string(),
  })
  .openapi('TokenError');

/** RFC 6749, 5.1: token responses are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * `POST /auth/token`: the OAuth 2.0 client credentials grant (RFC 6749, 4.4). Answers in RFC
 * 6749's shapes (5.1, 5.2), not problem documents, so any OAuth client library can use it.
 * Parsed by hand rather than by a route schema, whose refusals would be problem documents.
 * `limit` runs first (a rate limit: each request may cost a slow secret hash).
 */
export function addTokenRoute(
  app: OpenAPIHono<AppEnv>,
  clients: MachineClients,
  limit: MiddlewareHandler<AppEnv>,
): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: TOKEN_PATH,
    tags: ['identity'],
    summary: 'An access token for a machine client (OAuth 2.0 client credentials)',
    description:
      'Client authentication by HTTP Basic (client_id:client_secret, form-encoded) or in the body, never both.',
    security: [],
    request: {
      body: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: TokenForm } },
      },
    },
    responses: {
      200: { description: 'The token', content: { 'application/json': { schema: TokenResponse } } },
      400: {
        description: 'invalid_request, invalid_scope or unsupported_grant_type',
        content: { 'application/json': { schema: TokenError } },
      },
      401: {
        description: 'invalid_client',
        content: { 'application/json': { schema: TokenError } },
      },
      429: { description: 'Too many token requests from this address' },
    },
  });
  app.post(TOKEN_PATH, limit, async (c) => {
    const authorization = c.req.header('authorization');
    try {
      const { credentials, scope } = parseTokenRequest(
        c.req.header('content-type'),
        authorization,
        await c.req.text(),
      );
      return c.json(await clients.grant(credentials, scope), 200, NO_STORE);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      // RFC 6749, 5.2: a client that tried HTTP Basic gets the scheme it must use back.
      const challenge: Record<string, string> =
        error.status === 401 && authorization !== undefined
          ? { 'WWW-Authenticate': 'Basic realm="aia-platform", charset="UTF-8"' }
          : {};
      return c.json({ error: error.error, error_description: error.description }, error.status, {
        ...NO_STORE,
        ...challenge,
      });
    }
  });
}
