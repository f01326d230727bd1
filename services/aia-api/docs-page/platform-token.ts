import { importPKCS8, SignJWT } from 'jose';
import { JWT_ALGORITHM, publicJwkOf } from '../../platform/jwt-keys.js';

export interface PlatformTokenSignerOptions {
  /** The issuer's private key (`JWT_SIGNING_KEY`), which only the gateway holds. */
  readonly signingKey: string;
  readonly issuer: string;
  readonly audience: string;
}

export interface PlatformTokenRequest {
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly lifetimeSeconds: number;
}

/**
 * Signs the platform's bearer tokens (ES256, `kid` = the key's JWK thumbprint id the services'
 * JWKS publishes) with the issuer key: the tokens every service verifies.
 */
export function platformTokenSigner({ signingKey, issuer, audience }: PlatformTokenSignerOptions) {
  const key = Promise.all([importPKCS8(signingKey, JWT_ALGORITHM), publicJwkOf(signingKey)]);
  return async ({ subject, scopes, lifetimeSeconds }: PlatformTokenRequest): Promise<string> => {
    const [privateKey, { kid }] = await key;
    const scope = [...new Set(scopes)].sort().join(' ');
    const issuedAt = Math.floor(Date.now() / 1000);
    return new SignJWT(scope ? { scope } : {})
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetimeSeconds)
      .sign(privateKey);
  };
}
