import { generateKeyPairSync } from 'node:crypto';
import { publicJwkOf } from '../../services/platform/jwt-keys.js';
import { servicePublicJwk } from '../../services/platform/service-identity/service-keys.js';

/** An issuer key pair as the services read it: `JWT_SIGNING_KEY` and `JWT_PUBLIC_KEYS`. */
export interface JwtKeyPair {
  /** PKCS#8 PEM, ECDSA P-256. */
  readonly JWT_SIGNING_KEY: string;
  /** A JWKS holding the public half, as JSON. */
  readonly JWT_PUBLIC_KEYS: string;
}

/** A new ES256 signing key: PKCS#8 PEM, ECDSA P-256. */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A new P-256 key pair: for `npm start` (kept in .data/secrets.json) and tests. */
export async function generateJwtKeyPair(): Promise<JwtKeyPair> {
  const pem = generateSigningKey();
  return { JWT_SIGNING_KEY: pem, JWT_PUBLIC_KEYS: await publicKeysOf(pem) };
}

/**
 * The JWKS (JSON) every service verifies with: the issuer key's public half, and each calling
 * service's (`serviceKeys`: service name → its `SERVICE_SIGNING_KEY`) under `kid` `service:<name>`.
 */
export async function publicKeysOf(
  signingKey: string,
  serviceKeys: Readonly<Record<string, string>> = {},
): Promise<string> {
  const services = await Promise.all(
    Object.entries(serviceKeys).map(([service, key]) => servicePublicJwk(service, key)),
  );
  return JSON.stringify({ keys: [await publicJwkOf(signingKey), ...services] });
}
