import { generateKeyPairSync } from 'node:crypto';
import { publicJwkOf } from '../../services/platform/jwt-keys.js';

/** An issuer key pair as the services read it: `JWT_SIGNING_KEY` and `JWT_PUBLIC_KEYS`. */
export interface JwtKeyPair {
  /** PKCS#8 PEM, ECDSA P-256. */
  readonly JWT_SIGNING_KEY: string;
  /** A JWKS holding the public half, as JSON. */
  readonly JWT_PUBLIC_KEYS: string;
}

/** A new P-256 key pair: for `npm start` (kept in .data/secrets.json) and tests. */
export async function generateJwtKeyPair(): Promise<JwtKeyPair> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { JWT_SIGNING_KEY: pem, JWT_PUBLIC_KEYS: await publicKeysOf(pem) };
}

/** The JWKS (JSON) of a signing key's public half. */
export async function publicKeysOf(signingKey: string): Promise<string> {
  return JSON.stringify({ keys: [await publicJwkOf(signingKey)] });
}
