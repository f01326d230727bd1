import type { JwtVerifier } from '../../platform/auth.js';
import type { Principal } from '../../platform/types.js';
import { looksLikeApiKey } from './api-key-format.js';

/**
 * The gateway's bearer check: an API key (`aia_…`) is checked against the gateway's keys, any
 * other credential is a JWT for the kit's verifier. For the kit's `authenticate`, in place of the
 * runtime's verifier.
 */
export const gatewayVerifier = (
  verifyJwt: JwtVerifier,
  authenticateApiKey: (key: string) => Promise<Principal>,
): JwtVerifier =>
  async function gatewayVerifier(credential) {
    return looksLikeApiKey(credential) ? authenticateApiKey(credential) : verifyJwt(credential);
  };
