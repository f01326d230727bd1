import { Hono } from 'hono';
import { z } from 'zod';
import type { JwtVerifier } from '../platform/auth.js';
import type { ServiceDeps } from '../platform/runtime.js';
import type { AppEnv } from '../platform/types.js';
import { jsonBody } from '../platform/validation.js';

const introspectionRequest = z.strictObject({
  token: z.string().min(1, 'must not be empty').max(8192, 'must be at most 8192 characters'),
});

/**
 * The gateway's own routes. `GET /whoami` answers who the bearer token says the caller is;
 * `POST /auth/introspect` (RFC 7662 style) tells an authenticated caller whether another token is
 * active here, so upstreams and tools need not hold the signing key.
 */
export function aiaApiRoutes({ verify }: Pick<ServiceDeps, 'verify'>): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/whoami', (c) => {
      const principal = c.get('principal');
      return c.json({ subject: principal?.subject, scopes: [...(principal?.scopes ?? [])].sort() });
    })
    .post('/auth/introspect', jsonBody(introspectionRequest), async (c) =>
      c.json(await introspect(verify, c.req.valid('json').token)),
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
