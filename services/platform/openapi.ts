import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import { requiredScopesOf } from './auth.js';
import { ValidationError } from './errors.js';
import type { AppEnv } from './types.js';
import { fieldIssuesFromZod } from './zod-issues.js';

const ROOT_NAMES: Record<string, string> = {
  json: '(body)',
  query: '(query)',
  param: '(path)',
  header: '(headers)',
};

/**
 * A Hono app whose routes are declared with `createRoute` and documented in OpenAPI. A request
 * its schemas refuse becomes the kit's 422 naming each field, like `jsonBody` does.
 */
export function createOpenApiApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ValidationError(fieldIssuesFromZod(result.error, ROOT_NAMES[result.target]));
      }
    },
  });
}

/** The typed context a route's handler receives: validated `c.req.valid(...)` per the route. */
export type RouteContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];

/**
 * Registers `route` (validation and documentation) with a handler that may answer any
 * `Response`: handlers here build theirs through shared helpers (idempotent replays, problems),
 * which the route's per-status response typing cannot follow. The scopes its `requireScopes`
 * middleware checks are documented on the operation as `x-required-scopes`, so the gateway's
 * authorization matrix is read from the documents.
 */
export function addRoute<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  handler: (c: RouteContext<R>) => Promise<Response>,
): void {
  app.openapi(
    withRequiredScopes(route),
    handler as unknown as Parameters<typeof app.openapi<R>>[1],
  );
}

function withRequiredScopes<R extends RouteConfig>(route: R): R {
  const middleware = [route.middleware ?? []].flat();
  const scopes = [...new Set(middleware.flatMap((m) => requiredScopesOf(m)))];
  return scopes.length === 0 ? route : { ...route, 'x-required-scopes': scopes };
}

/** Bearer JWT, as every `/v1` route requires. */
export const BEARER_SECURITY = [{ bearer: [] }];

/** What a service's OpenAPI document says about it. */
export interface ApiDescription {
  readonly title: string;
  readonly description: string;
  /** The API's major version, as in its `/v1` prefix. Default `1`. */
  readonly version?: string;
}

/**
 * Serves `app`'s OpenAPI 3.1 document at `openapi.json` (so `/v1/openapi.json` once mounted),
 * with the bearer security scheme every route refers to.
 */
export function serveOpenApiDocument(
  app: OpenAPIHono<AppEnv>,
  api: ApiDescription,
  replacement?: ApiDocumentReplacement,
): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const config = {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version ?? '1', description: api.description },
    servers: [{ url: '/v1' }],
  };
  if (!replacement) {
    app.doc31('/openapi.json', config);
    return;
  }
  const serve = replacement(() => app.getOpenAPI31Document(config));
  app.get('/openapi.json', async (c) => c.json(await serve()));
}

/**
 * Serves another document in place of a module's own at `/v1/openapi.json` (the gateway: the
 * platform's merged document). Given a way to build the module's own, the document to serve.
 */
export type ApiDocumentReplacement = (own: () => object) => () => Promise<object>;
