import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { z } from 'zod';

/**
 * The platform's tokens are ES256 (ECDSA P-256) JWTs: one issuer holds the private key, every
 * service verifies with the public keys, so a compromised service cannot mint tokens.
 */
export const JWT_ALGORITHM = 'ES256';

const PublicJwkSchema = z
  .object({
    kty: z.literal('EC', { error: 'expected kty "EC"' }),
    crv: z.literal('P-256', { error: 'expected crv "P-256" (ES256)' }),
    x: z.string().min(1),
    y: z.string().min(1),
    kid: z.string().min(1, 'every key needs a kid'),
    alg: z.literal(JWT_ALGORITHM).optional(),
    use: z.literal('sig').optional(),
  })
  .loose()
  .refine((key) => !('d' in key), 'holds a private key (d): publish only public keys');

/** A JSON Web Key Set of the issuer's public keys: more than one while a key is rotated. */
export const PublicKeySetSchema = z.object({
  keys: z.array(PublicJwkSchema).min(1, 'must hold at least one key'),
});
export type PublicKeySet = z.output<typeof PublicKeySetSchema>;

/** The public half of a PKCS#8 PEM P-256 private key, as a JWK with its RFC 7638 thumbprint as kid. */
export async function publicJwkOf(signingKeyPem: string): Promise<JWK & { kid: string }> {
  return publicJwkOfKey(createPublicKey(createPrivateKey(signingKeyPem)));
}

/** The ES256 public JWK of a public key, with its RFC 7638 thumbprint as `kid`. */
export async function publicJwkOfKey(key: KeyObject): Promise<JWK & { kid: string }> {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  if (key.type !== 'public' || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new Error(`the signing key must be an ECDSA P-256 key (${JWT_ALGORITHM})`);
  }
  const { kty, crv, x, y } = jwk;
  const kid = await calculateJwkThumbprint({ kty, crv, x, y });
  return { kty, crv, x, y, kid, alg: JWT_ALGORITHM, use: 'sig' };
}

/** Whether the public half of `signingKeyPem` is among `publicKeys`, so its tokens verify. */
export async function isPublished(
  signingKeyPem: string,
  publicKeys: PublicKeySet,
): Promise<boolean> {
  const own = await publicJwkOf(signingKeyPem);
  return publicKeys.keys.some((key) => key.x === own.x && key.y === own.y);
}
