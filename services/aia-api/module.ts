import { defineModule } from '../platform/module.js';
import { aiaApi } from './definition.js';
import { checkIssuerKey } from './issuer-key.js';
import { addGatewayRoutes } from './routes.js';
import { gatewayRouting } from './routing/gateway-routes.js';

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
  ({ config, verify, router, registry, logger }) => {
    const routes = router();
    addGatewayRoutes(routes, verify);
    const routing = gatewayRouting({
      config,
      registry,
      logger,
      apiTimeoutMs: config.GATEWAY_TIMEOUT_MS,
      streamTimeoutMs: config.GATEWAY_STREAM_TIMEOUT_MS,
      breakerFailures: config.GATEWAY_BREAKER_FAILURES,
      halfOpenAfterMs: config.GATEWAY_BREAKER_HALF_OPEN_MS,
      trustedProxyHops: config.RATE_LIMIT_TRUSTED_PROXY_HOPS,
    });
    routes.route('/', routing.api);
    return {
      routes,
      publicRoutes: routing.outsideApi,
      unauthenticatedApiPrefixes: routing.upstreamAuthenticated,
      start: () => checkIssuerKey(config.JWT_SIGNING_KEY, config.JWT_PUBLIC_KEYS),
    };
  },
);
