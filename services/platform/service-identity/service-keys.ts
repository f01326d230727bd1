import type { JWK } from 'jose';
import { publicJwkOf } from '../jwt-keys.js';
import { serviceSubject } from './subjects.js';

/**
 * The public JWK of a service's signing key, bound to the service: its `kid` is
 * `service:<name>`, and the verifier accepts a token signed with it only when the token's `sub`
 * is that same `service:<name>`. Every service's `JWT_PUBLIC_KEYS` holds one per calling service.
 * While a key is rotated, the old and the new key share the kid; either verifies.
 */
export async function servicePublicJwk(
  service: string,
  signingKeyPem: string,
): Promise<JWK & { kid: string }> {
  return { ...(await publicJwkOf(signingKeyPem)), kid: serviceSubject(service) };
}
