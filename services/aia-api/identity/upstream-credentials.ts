import type { Context } from 'hono';
import type { AppEnv } from '../../platform/types.js';
import { ApiKeyPrincipal } from './api-key-principal.js';

/**
 * The proxy's `Authorization` swap: a caller who sent an API key is forwarded with the JWT the
 * gateway minted for the key (`ApiKeyPrincipal`), so an API key never leaves the gateway and
 * services keep verifying only the issuer's JWTs. Any other caller's header goes on unchanged.
 * Returns `headers`, changed in place.
 */
export function withUpstreamCredentials(c: Context<AppEnv>, headers: Headers): Headers {
  const principal = c.get('principal');
  if (principal instanceof ApiKeyPrincipal)
    headers.set('authorization', principal.upstreamAuthorization);
  return headers;
}
