import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  secret: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt's cost (RFC 7914): N = 2^15, r = 8, p = 1: 32 MiB and a tenth of a second or more per check. */
const SCRYPT = { N: 32_768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SCRYPT_KEY_BYTES = 32;
const SALT_BYTES = 16;
const SECRET_BYTES = 32;

/** A new secret: 256 random bits, base64url (43 characters). */
export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

/**
 * A client secret's stored form, `scrypt$N$r$p$<salt>$<hash>` (base64url), with a salt of its
 * own: a leaked table gives neither the secrets nor a way to test guesses against all rows at once.
 */
export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(secret, salt, SCRYPT_KEY_BYTES, SCRYPT);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Whether `secret` is the one `stored` was made from; constant time in the hash compared. */
export async function isClientSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/**
 * An API key's secret's stored form: SHA-256, hex. Unlike a password, the secret is 256 random
 * bits, so no guess can be tested faster than brute force, which a slow hash would only make
 * slower still; and a key is checked on every request, which scrypt's 0.1 s would not allow.
 */
export const hashApiKeySecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

/** Whether `secret` hashes to `stored` ({@link hashApiKeySecret}), compared in constant time. */
export const isApiKeySecret = (secret: string, stored: string): boolean => {
  const actual = Buffer.from(hashApiKeySecret(secret), 'hex');
  const expected = Buffer.from(stored, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};
