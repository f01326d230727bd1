import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Redis } from 'ioredis';
import type { JwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { rateLimit } from '../../platform/rate-limit.js';
import type { AppEnv } from '../../platform/types.js';
import { apiKeys } from './api-keys.js';
import { gatewayVerifier } from './gateway-verifier.js';
import { machineClients } from './machine-clients.js';
import { addApiKeyRoutes } from './routes/api-key-routes.js';
import { addClientRoutes } from './routes/client-routes.js';
import { addTokenRoute, TOKEN_PATH } from './routes/token-route.js';
import { createTokenIssuer } from './token-issuer.js';

/** Token requests admitted per client address and minute: each may cost a 0.1 s secret hash. */
export const TOKEN_REQUESTS_PER_MINUTE = 60;
const MINUTE_MS = 60_000;

export interface GatewayIdentityOptions {
  readonly sql: Database;
  /** `JWT_SIGNING_KEY`, `JWT_ISSUER`, `JWT_AUDIENCE`. */
  readonly signingKey: string;
  readonly issuer: string;
  readonly audience: string;
  /** The kit's verifier of JWTs (the runtime's). */
  readonly verifyJwt: JwtVerifier;
  /** The token endpoint's rate limiter's store and settings (the kit's). */
  readonly redis: Redis | undefined;
  readonly failMode: 'open' | 'closed';
  readonly trustedProxyHops: number;
  /** Token requests per client address and minute. Default {@link TOKEN_REQUESTS_PER_MINUTE}. */
  readonly tokenRequestsPerMinute?: number;
  /** Prefix of the rate limiter's Redis keys (the token endpoint's add `token:`). Default `ratelimit:`. */
  readonly rateLimitKeyPrefix?: string;
}

/** What the gateway's module takes from its identities (docs/gateway.md, "Identities and roles"). */
export interface GatewayIdentity {
  /** The kit's bearer check, in place of the runtime's: JWTs and API keys. */
  readonly verify: JwtVerifier;
  /** `/v1` paths without a bearer token, for the kit's `unauthenticatedApiPrefixes`. */
  readonly unauthenticatedApiPrefixes: readonly string[];
  /** Registers `/auth/token`, `/auth/clients` and `/auth/api-keys` on the module's `/v1` router. */
  addRoutes(app: OpenAPIHono<AppEnv>): void;
}

/**
 * The gateway as the platform's issuer: machine clients and their client credentials grant,
 * people's API keys, and the bearer check that accepts both the issuer's JWTs and API keys.
 */
export function gatewayIdentity(options: GatewayIdentityOptions): GatewayIdentity {
  const issue = createTokenIssuer(options);
  const clients = machineClients({ sql: options.sql, issue });
  const keys = apiKeys({ sql: options.sql, issue });
  const limit = rateLimit({
    redis: options.redis,
    limit: options.tokenRequestsPerMinute ?? TOKEN_REQUESTS_PER_MINUTE,
    windowMs: MINUTE_MS,
    failMode: options.failMode,
    trustedProxyHops: options.trustedProxyHops,
    keyPrefix: `${options.rateLimitKeyPrefix ?? 'ratelimit:'}token:`,
  });
  return {
    verify: gatewayVerifier(options.verifyJwt, (key) => keys.authenticate(key)),
    unauthenticatedApiPrefixes: [`/v1${TOKEN_PATH}`],
    addRoutes(app) {
      addTokenRoute(app, clients, limit);
      addClientRoutes(app, clients);
      addApiKeyRoutes(app, keys);
    },
  };
}
