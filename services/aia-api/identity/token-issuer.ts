import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { JWT_ALGORITHM, publicJwkOf } from '../../platform/jwt-keys.js';

export interface TokenIssuerOptions {
  /** `JWT_SIGNING_KEY`: the issuer's private key, which only the gateway holds. */
  readonly signingKey: string;
  /** `JWT_ISSUER` and `JWT_AUDIENCE`: what every service's verifier expects. */
  readonly issuer: string;
  readonly audience: string;
  /** Default `Date.now`; tests pass another clock. */
  readonly now?: () => number;
}

/** A signed access token and when it expires. */
export interface IssuedToken {
  readonly token: string;
  /** Seconds from issue to expiry. */
  readonly expiresIn: number;
  /** Expiry, milliseconds since the epoch. */
  readonly expiresAtMs: number;
}

export interface TokenRequest {
  readonly subject: string;
  readonly scopes: Iterable<string>;
  readonly lifetimeSeconds: number;
}

/** Signs the platform's access tokens. */
export type TokenIssuer = (request: TokenRequest) => Promise<IssuedToken>;

/**
 * The gateway's token issuer: ES256 JWTs with the `kid` the services' `JWT_PUBLIC_KEYS` publish
 * for its key, `iss` and `aud` as they verify them, `scope` space-separated and sorted, a `jti`
 * of its own (so a token can be named in logs and audits without quoting it).
 */
export function createTokenIssuer({
  signingKey,
  issuer,
  audience,
  now = Date.now,
}: TokenIssuerOptions): TokenIssuer {
  // Parsed as the configuration checks it (Node's parser): PEM may carry explanatory text before
  // the key, as the offline plan's marked placeholder does, which jose's importPKCS8 refuses.
  const privateKey = createPrivateKey(signingKey);
  const publicJwk = publicJwkOf(signingKey);
  return async ({ subject, scopes, lifetimeSeconds }) => {
    const { kid } = await publicJwk;
    const scope = [...new Set(scopes)].sort().join(' ');
    const issuedAt = Math.floor(now() / 1000);
    const expiresAt = issuedAt + lifetimeSeconds;
    const token = await new SignJWT(scope ? { scope } : {})
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresIn: lifetimeSeconds, expiresAtMs: expiresAt * 1000 };
  };
}
