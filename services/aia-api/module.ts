import { Hono } from 'hono';
import { defineModule } from '../platform/module.js';
import type { AppEnv } from '../platform/types.js';
import { aiaApi } from './definition.js';
import { docsPageRoutes } from './docs-page/docs-page-routes.js';
import type { OpenApiDocument } from './docs-page/merge-openapi.js';
import { mergedDocument } from './docs-page/merged-document.js';
import { apiKeyCredentials } from './identity/api-key-credentials.js';
import { gatewayIdentity } from './identity/gateway-identity.js';
import { createTokenIssuer } from './identity/token-issuer.js';
import { checkIssuerKey } from './issuer-key.js';
import { gatewayProtection } from './protection/gateway-protection.js';
import { addGatewayRoutes } from './routes.js';
import { gatewayRouting } from './routing/gateway-routes.js';
import { gatewayStream, STREAM_UNAUTHENTICATED } from './stream/gateway-stream.js';

/** Who reads the upstreams' API documents for the merged one (logged by them as the caller). */
const API_DOCS_READER = 'aia-api:api-docs';
/** The merged API document is public, as the page that shows it (it holds no data). */
const PUBLIC_API_DOCUMENT = { prefix: '/v1/openapi.json', methods: ['GET', 'HEAD'] } as const;

/**
 * The gateway: its identity routes, and every service's API routed by path prefix
 * (routing/route-table.ts, docs/gateway.md); it refuses to start with an unpublished signing key.
 */
export const aiaApiModule = defineModule(
  aiaApi,
  {
    title: 'AIA API gateway',
    description:
      'The platform front door: identities and tokens, and every service under one host (docs/gateway.md). Scopes are checked per route.',
  },
  ({ config, verify, router, registry, logger, stores }) => {
    const routes = router();
    // Before every route: rate limits per route class, then the audit of state changes.
    const protection = gatewayProtection({
      allowedOrigins: config.CORS_ALLOWED_ORIGINS,
      rateLimit: {
        redis: stores.redis,
        windowMs: config.RATE_LIMIT_WINDOW_MS,
        failMode: config.RATE_LIMIT_FAIL_MODE,
        trustedProxyHops: config.RATE_LIMIT_TRUSTED_PROXY_HOPS,
        classLimits: {
          a2a: config.GATEWAY_RATE_LIMIT_A2A_MAX,
          stream: config.GATEWAY_RATE_LIMIT_STREAM_MAX,
        },
      },
      sql: stores.db,
      logger,
      registry,
    });
    routes.use('*', protection.api);
    addGatewayRoutes(routes, verify);
    const identity = gatewayIdentity({
      sql: stores.db,
      signingKey: config.JWT_SIGNING_KEY,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      verifyJwt: verify,
      redis: stores.redis,
      failMode: config.RATE_LIMIT_FAIL_MODE,
      trustedProxyHops: config.RATE_LIMIT_TRUSTED_PROXY_HOPS,
    });
    identity.addRoutes(routes);
    const routing = gatewayRouting({
      config,
      registry,
      logger,
      apiTimeoutMs: config.GATEWAY_TIMEOUT_MS,
      streamTimeoutMs: config.GATEWAY_STREAM_TIMEOUT_MS,
      breakerFailures: config.GATEWAY_BREAKER_FAILURES,
      halfOpenAfterMs: config.GATEWAY_BREAKER_HALF_OPEN_MS,
      trustedProxyHops: config.RATE_LIMIT_TRUSTED_PROXY_HOPS,
      upstreamAuthenticatedFront: apiKeyCredentials(identity.verify),
    });
    // Live events over WebSocket (docs/gateway.md "Live events"), ahead of the routing table.
    const stream = gatewayStream({
      config,
      redis: stores.redis,
      verify: identity.verify,
      registry,
      logger,
      allowedOrigins: config.CORS_ALLOWED_ORIGINS,
    });
    if (stream) routes.route('/', stream.routes);
    routes.route('/', routing.api);
    const issue = createTokenIssuer({
      signingKey: config.JWT_SIGNING_KEY,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    });
    return {
      routes,
      publicRoutes: new Hono<AppEnv>().route('/', routing.outsideApi).route('/', docsPageRoutes()),
      unauthenticatedApiPrefixes: [
        ...routing.upstreamAuthenticated,
        PUBLIC_API_DOCUMENT,
        ...identity.unauthenticatedApiPrefixes,
        STREAM_UNAUTHENTICATED,
      ],
      ...(stream ? { websocket: { server: stream.websocketServer, close: stream.close } } : {}),
      verify: identity.verify,
      // The platform's document: every service's, read from them with a token of no scope.
      apiDocument: (own) =>
        mergedDocument({
          config,
          logger,
          gatewayDocument: own as () => OpenApiDocument,
          token: async () =>
            (await issue({ subject: API_DOCS_READER, scopes: [], lifetimeSeconds: 300 })).token,
        }),
      apiFront: protection.front,
      workers: protection.workers,
      start: async () => {
        await checkIssuerKey(config.JWT_SIGNING_KEY, config.JWT_PUBLIC_KEYS);
        stream?.start();
      },
    };
  },
);
