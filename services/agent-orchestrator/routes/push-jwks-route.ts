import { Hono } from 'hono';
import type { AppEnv } from '../../platform/types.js';
import { PUSH_JWKS_PATH, type PushSigner } from '../execution/push-signature.js';

/**
 * The public key that verifies push notifications, as a JSON Web Key Set at
 * `/a2a/.well-known/jwks.json` (public: receivers fetch it without a token). Cached for five
 * minutes: a rotated key reaches receivers within that time.
 */
export function pushJwksRoute(signer: PushSigner): Hono<AppEnv> {
  return new Hono<AppEnv>().get(PUSH_JWKS_PATH, async (c) =>
    c.json(await signer.jwks(), 200, { 'Cache-Control': 'public, max-age=300' }),
  );
}
