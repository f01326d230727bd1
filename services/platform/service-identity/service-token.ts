import { importPKCS8, SignJWT } from 'jose';
import { JWT_ALGORITHM } from '../jwt-keys.js';
import { serviceSubject } from './subjects.js';

export interface ServiceTokenOptions {
  /** The calling service's name: `sub` and `kid` become `service:<service>`. */
  readonly service: string;
  /** Its `SERVICE_SIGNING_KEY` (PKCS#8 PEM, P-256). Undefined: every call fails, saying why. */
  readonly signingKey: string | undefined;
  /** `JWT_ISSUER`, which every verifier expects. */
  readonly issuer: string;
  /** Default 300 s: long enough to reuse, short enough that a leaked token soon stops working. */
  readonly lifetimeSeconds?: number;
  /** A token is renewed once less than this is left. Default 60 s. */
  readonly renewBeforeSeconds?: number;
  /** Default `Date.now`; tests pass another clock. */
  readonly now?: () => number;
}

/** The bearer token for a call to `audience` with `scopes`, signed anew only when needed. */
export type ServiceTokenSource = (audience: string, scopes: readonly string[]) => Promise<string>;

/**
 * Signs the calling service's short-lived tokens (ES256): `iss` the platform's issuer, `sub` and
 * `kid` `service:<name>`, `aud` the callee's name, `scope` what the call needs. A token is cached
 * per audience and scopes and renewed before it expires.
 *
 * @example
 * const tokenFor = serviceTokens({ service: 'agent-orchestrator', signingKey, issuer: 'aia-platform' });
 * const token = await tokenFor('economic-governor', ['ledger:write']);
 */
export function serviceTokens({
  service,
  signingKey,
  issuer,
  lifetimeSeconds = 300,
  renewBeforeSeconds = 60,
  now = Date.now,
}: ServiceTokenOptions): ServiceTokenSource {
  let key: ReturnType<typeof importPKCS8> | undefined;
  const cached = new Map<string, { token: Promise<string>; renewAtMs: number }>();
  return async (audience, scopes) => {
    if (signingKey === undefined)
      throw new Error(
        `${service} has no SERVICE_SIGNING_KEY, so it cannot call ${audience}: set it (npm start generates one)`,
      );
    key ??= importPKCS8(signingKey, JWT_ALGORITHM);
    const scope = [...new Set(scopes)].sort().join(' ');
    const cacheKey = `${audience} ${scope}`;
    const known = cached.get(cacheKey);
    if (known && known.renewAtMs > now()) return known.token;
    const issuedAt = Math.floor(now() / 1000);
    const token = key.then((privateKey) =>
      new SignJWT(scope ? { scope } : {})
        .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid: serviceSubject(service) })
        .setIssuer(issuer)
        .setSubject(serviceSubject(service))
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + lifetimeSeconds)
        .sign(privateKey),
    );
    cached.set(cacheKey, {
      token,
      renewAtMs: (issuedAt + lifetimeSeconds - renewBeforeSeconds) * 1000,
    });
    // A failed signing is not kept: the next call tries again.
    token.catch(() => cached.delete(cacheKey));
    return token;
  };
}
