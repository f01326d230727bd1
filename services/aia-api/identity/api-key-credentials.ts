import type { MiddlewareHandler } from 'hono';
import { authenticate, type JwtVerifier } from '../../platform/auth.js';
import type { AppEnv } from '../../platform/types.js';
import { looksLikeApiKey } from './api-key-format.js';

/**
 * For routes whose upstream authenticates the caller itself (A2A, whose agent cards are public):
 * an API key is checked here, as on every other route, so the proxy forwards the JWT minted for
 * it (`upstream-credentials.ts`) and the key never leaves the gateway; a bad, expired or revoked
 * key is the gateway's 401. Any other credential, or none, goes on for the upstream to judge.
 */
export function apiKeyCredentials(verify: JwtVerifier): MiddlewareHandler<AppEnv> {
  const authenticated = authenticate({ verify });
  return async function apiKeyCredentials(c, next) {
    const credential = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (credential && looksLikeApiKey(credential)) return authenticated(c, next);
    await next();
  };
}
