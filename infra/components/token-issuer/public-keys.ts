import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { servicePublicJwk } from '../../../services/platform/service-identity/service-keys.js';

/**
 * The JWKS (as JSON) the services verify tokens with, from the issuer's PKCS#8 PEM private key:
 * the public half only, with its RFC 7638 thumbprint as `kid`; then each calling service's public
 * key (`serviceKeys`: service name → its PKCS#8 PEM key) under `kid` `service:<name>`. A pure function, so the key set a
 * stack renders can be checked without Pulumi.
 */
export async function publicKeySetOf(
  signingKeyPem: string,
  serviceKeys: Readonly<Record<string, string>> = {},
): Promise<string> {
  const jwk = createPublicKey(createPrivateKey(signingKeyPem)).export({ format: 'jwk' }) as JWK;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new Error('the token signing key must be an ECDSA P-256 key (ES256)');
  }
  const { kty, crv, x, y } = jwk;
  const kid = await calculateJwkThumbprint({ kty, crv, x, y });
  const services = await Promise.all(
    Object.entries(serviceKeys).map(([service, key]) => servicePublicJwk(service, key)),
  );
  return JSON.stringify({ keys: [{ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' }, ...services] });
}

/** The key as PKCS#8 PEM, the one form JOSE libraries import (`-----BEGIN PRIVATE KEY-----`). */
export const asPkcs8Pem = (signingKeyPem: string): string =>
  createPrivateKey(signingKeyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
