import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { publicJwkOf, publicJwkOfKey } from '../../../services/platform/jwt-keys.js';
import { servicePublicJwk } from '../../../services/platform/service-identity/service-keys.js';

/**
 * A public key of the issuer other than the current one, as the stack config gives it: a PEM
 * public key (`-----BEGIN PUBLIC KEY-----`, `openssl ec -in old.pem -pubout`) or a JWK copied
 * from a service's key set (`{ "kty": "EC", "crv": "P-256", "x": …, "y": … }`).
 */
export type IssuerPublicKey = string | Readonly<Record<string, unknown>>;

const asKeyObject = (key: IssuerPublicKey): KeyObject =>
  typeof key === 'string'
    ? createPublicKey(key)
    : createPublicKey({ key: key as JsonWebKey, format: 'jwk' });

/** Why `key` cannot be published as an issuer key, or undefined when it can. */
export function issuerPublicKeyProblem(key: IssuerPublicKey): string | undefined {
  // The config listing these keys is plain: a private key there would be a leak (and Node would
  // quietly take its public half).
  if (typeof key === 'string' ? /PRIVATE KEY-----/.test(key) : 'd' in key) {
    return 'expected a public key, not a private one';
  }
  let object: KeyObject;
  try {
    object = asKeyObject(key);
  } catch (error) {
    return `not a PEM public key or a JWK: ${(error as Error).message}`;
  }
  const { kty, crv } = object.export({ format: 'jwk' });
  return kty === 'EC' && crv === 'P-256'
    ? undefined
    : `expected an ECDSA P-256 (ES256) key, got ${kty}${crv ? ` ${crv}` : ''}`;
}

/**
 * The JWKS (as JSON) the services verify tokens with, from the issuer's PKCS#8 PEM private key:
 * the public half only, with its RFC 7638 thumbprint as `kid`; then the issuer's `additional`
 * public keys (the next key before a rotation, the previous one for a token lifetime after it;
 * one equal to the current key is left out); then each calling service's public key
 * (`serviceKeys`: service name → its PKCS#8 PEM key) under `kid` `service:<name>`. A pure
 * function, so the key set a stack renders can be checked without Pulumi.
 */
export async function publicKeySetOf(
  signingKeyPem: string,
  serviceKeys: Readonly<Record<string, string>> = {},
  additional: readonly IssuerPublicKey[] = [],
): Promise<string> {
  const issuerKeys = [
    await publicJwkOf(signingKeyPem),
    ...(await Promise.all(additional.map((key) => publicJwkOfKey(asKeyObject(key))))),
  ].filter((jwk, index, all) => all.findIndex((other) => other.kid === jwk.kid) === index);
  const services = await Promise.all(
    Object.entries(serviceKeys).map(([service, key]) => servicePublicJwk(service, key)),
  );
  return JSON.stringify({ keys: [...issuerKeys, ...services] });
}

/** The key as PKCS#8 PEM, the one form JOSE libraries import (`-----BEGIN PRIVATE KEY-----`). */
export const asPkcs8Pem = (signingKeyPem: string): string =>
  createPrivateKey(signingKeyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
