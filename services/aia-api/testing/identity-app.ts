import { Redis } from 'ioredis';
import { testJwtEnv, testPublicKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createOpenApiApp } from '../../platform/openapi.js';
import { gatewayIdentity } from '../identity/gateway-identity.js';
import { withUpstreamCredentials } from '../identity/upstream-credentials.js';

/** A verifier as every service has: the test issuer's keys, its issuer and audience. */
export const upstreamVerifier = () =>
  createJwtVerifier({
    publicKeys: testPublicKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
  });

/**
 * The gateway's identities on the kit, for `app.request()` tests: the identity routes, and
 * `GET /v1/upstream` answering what an upstream would receive (the forwarded `Authorization`
 * after the proxy's swap) and who the gateway took the caller for.
 */
export function identityApp({
  sql,
  redisUrl,
  redisKeyPrefix,
  tokenRequestsPerMinute,
}: {
  sql: Database;
  redisUrl: string;
  redisKeyPrefix: string;
  tokenRequestsPerMinute?: number;
}) {
  const redis = new Redis(redisUrl, { keyPrefix: redisKeyPrefix, maxRetriesPerRequest: 1 });
  const identity = gatewayIdentity({
    sql,
    signingKey: testJwtEnv.JWT_SIGNING_KEY,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    verifyJwt: upstreamVerifier(),
    redis,
    failMode: 'closed',
    trustedProxyHops: 0,
    ...(tokenRequestsPerMinute ? { tokenRequestsPerMinute } : {}),
  });
  const routes = createOpenApiApp();
  identity.addRoutes(routes);
  routes.get('/upstream', (c) =>
    c.json({
      authorization: withUpstreamCredentials(c, new Headers(c.req.raw.headers)).get(
        'authorization',
      ),
      subject: c.get('principal')?.subject,
      scopes: [...(c.get('principal')?.scopes ?? [])].sort(),
    }),
  );
  const { app, logs } = kitApp({
    routes,
    verify: identity.verify,
    unauthenticatedApiPrefixes: identity.unauthenticatedApiPrefixes,
    redis,
    bodyBytes: 65_536,
    requestTimeoutMs: 10_000,
    rateLimit: { limit: 100_000 },
  });
  return { app, logs, close: () => redis.quit() };
}
