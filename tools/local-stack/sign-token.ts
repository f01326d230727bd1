import { importPKCS8, SignJWT } from 'jose';
import { JWT_ALGORITHM, publicJwkOf } from '../../services/platform/jwt-keys.js';

export interface TokenOptions {
  /** The issuer's private key (`JWT_SIGNING_KEY`, PKCS#8 PEM, P-256). */
  readonly signingKey: string;
  /** Default `developer`. */
  readonly subject?: string;
  /** Space-separated scopes. Default none. */
  readonly scope?: string;
  /** Default `aia-platform`, as the services expect by default. */
  readonly issuer?: string;
  readonly audience?: string;
  /** Lifetime: seconds, or a jose time span such as `1h`. Default `1h`. */
  readonly expiresIn?: number | string;
}

/**
 * Signs an ES256 bearer token the services accept, naming its key (`kid`): for local use and
 * tests, never for a deployed stack.
 */
export async function signToken({
  signingKey,
  subject = 'developer',
  scope = '',
  issuer = 'aia-platform',
  audience = 'aia-platform',
  expiresIn = '1h',
}: TokenOptions): Promise<string> {
  // One clock reading for both claims: a second ticking over while the key is imported would
  // otherwise shorten a token's life by it (iat read later than the expiry was computed).
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiry = typeof expiresIn === 'number' ? issuedAt + expiresIn : expiresIn;
  const [key, { kid }] = await Promise.all([
    importPKCS8(signingKey, JWT_ALGORITHM),
    publicJwkOf(signingKey),
  ]);
  return new SignJWT(scope ? { scope } : {})
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiry)
    .sign(key);
}
