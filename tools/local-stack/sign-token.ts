import { SignJWT } from 'jose';

export interface TokenOptions {
  /** HS256 key the services verify with (`JWT_SECRET_KEY`). */
  readonly secret: string;
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

/** Signs a bearer token the services accept: for local use and tests, never for a deployed stack. */
export function signToken({
  secret,
  subject = 'developer',
  scope = '',
  issuer = 'aia-platform',
  audience = 'aia-platform',
  expiresIn = '1h',
}: TokenOptions): Promise<string> {
  const expiry =
    typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn;
  return new SignJWT(scope ? { scope } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expiry)
    .sign(new TextEncoder().encode(secret));
}
