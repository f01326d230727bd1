import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import { JWT_ALGORITHM, type PublicKeySet } from './jwt-keys.js';
import { isStorableText } from './request-fields.js';
import type { AppEnv, Principal } from './types.js';

/**
 * Longest token subject a service accepts. Subjects become owners, audit actors and log fields;
 * stores size their columns to hold at least this.
 */
export const MAX_SUBJECT_LENGTH = 256;

export interface JwtVerifierOptions {
  /** The issuer's public keys (`JWT_PUBLIC_KEYS`); a token's `kid` picks one. */
  readonly publicKeys: PublicKeySet;
  readonly issuer: string;
  readonly audience: string;
  /** Allowed clock skew. Default 5 s. */
  readonly clockToleranceSeconds?: number;
  /**
   * Verified tokens remembered (until their expiry) so a client's next request skips the
   * signature check.
   * Default 10,000; 0 turns it off.
   */
  readonly cacheSize?: number;
}

/** Verifies a compact JWT and returns its principal, or throws a 401 saying what is wrong. */
export type JwtVerifier = (token: string) => Promise<Principal>;

export function createJwtVerifier({
  publicKeys,
  issuer,
  audience,
  clockToleranceSeconds = 5,
  cacheSize = 10_000,
}: JwtVerifierOptions): JwtVerifier {
  const keys = createLocalJWKSet(publicKeys);
  // Token → principal and the instant it stops being valid; oldest first (Map order).
  const verified = new Map<string, { principal: Principal; validUntilMs: number }>();
  const verify = async (token: string) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: [JWT_ALGORITHM],
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      const problem = subjectProblem(payload.sub);
      if (problem) throw new UnauthorizedError(`token subject ${problem}`, 'invalid_token');
      const principal = { subject: payload.sub as string, scopes: scopesOf(payload) };
      return { principal, validUntilMs: ((payload.exp as number) + clockToleranceSeconds) * 1000 };
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      throw new UnauthorizedError(reasonFor(error, { issuer, audience }), 'invalid_token');
    }
  };
  return async (token) => {
    const known = verified.get(token);
    if (known && known.validUntilMs > Date.now()) return known.principal;
    verified.delete(token);
    const fresh = await verify(token);
    if (cacheSize > 0) {
      if (verified.size >= cacheSize) verified.delete(verified.keys().next().value as string);
      verified.set(token, fresh);
    }
    return fresh.principal;
  };
}

/** Why a `sub` claim cannot name a caller, or undefined when it can. */
function subjectProblem(subject: unknown): string | undefined {
  if (typeof subject !== 'string' || subject === '') return 'must be a non-empty string';
  if (subject.length > MAX_SUBJECT_LENGTH)
    return `must be at most ${MAX_SUBJECT_LENGTH} characters`;
  // Subjects end up in logs and database text columns, which cannot hold control characters
  // or unpaired surrogates.
  if (/\p{Cc}/u.test(subject)) return 'must not contain control characters';
  if (!isStorableText(subject)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/** Space-delimited `scope` (RFC 8693) or an `scp` array. */
function scopesOf(payload: Record<string, unknown>): ReadonlySet<string> {
  const { scope, scp } = payload;
  if (typeof scope === 'string') return new Set(scope.split(' ').filter(Boolean));
  if (Array.isArray(scp)) return new Set(scp.filter((s): s is string => typeof s === 'string'));
  return new Set();
}

function reasonFor(error: unknown, expected: { issuer: string; audience: string }): string {
  if (error instanceof errors.JWTExpired) return 'token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `token audience is not '${expected.audience}'`;
    if (error.claim === 'iss') return `token issuer is not '${expected.issuer}'`;
    if (error.claim === 'nbf') return 'token is not yet valid';
    return `token claim '${error.claim}' is invalid: ${error.reason}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return `token algorithm must be ${JWT_ALGORITHM}`;
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'token is not signed by a key of the issuer';
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return 'token names no key (kid) of the issuer';
  return 'token is malformed';
}

/**
 * Requires `Authorization: Bearer <jwt>` and sets `c.var.principal`. Missing or invalid tokens
 * get a 401 with an RFC 6750 `WWW-Authenticate` challenge.
 */
export const authenticate = ({ verify }: { verify: JwtVerifier }): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const header = c.req.header('Authorization');
    if (!header) throw new UnauthorizedError('missing bearer token', undefined);
    const [scheme, token, ...rest] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      throw new UnauthorizedError(
        'authorization header must be "Bearer <token>"',
        'invalid_request',
      );
    }
    c.set('principal', await verify(token));
    await next();
  };

/** After `authenticate`: 403 naming the missing scopes unless the principal has all of them. */
export const requireScopes = (...required: string[]): MiddlewareHandler<AppEnv> =>
  async function requireScopes(c, next) {
    const principal = c.get('principal');
    if (!principal) throw new UnauthorizedError('missing bearer token', undefined);
    const missing = required.filter((scope) => !principal.scopes.has(scope));
    if (missing.length > 0) {
      throw new ForbiddenError(`missing required scope(s): ${missing.join(', ')}`, {
        missingScopes: missing,
      });
    }
    await next();
  };
