import type { Context, MiddlewareHandler, Next } from 'hono';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import { JWT_ALGORITHM, type PublicKeySet } from './jwt-keys.js';
import { isStorableText } from './request-fields.js';
import { type CallGrants, catalogGrants } from './service-identity/grants.js';
import { serviceOf, serviceSubject } from './service-identity/subjects.js';
import type { AppEnv, Principal } from './types.js';

/**
 * Longest token subject a service accepts. Subjects become owners, audit actors and log fields;
 * stores size their columns to hold at least this.
 */
export const MAX_SUBJECT_LENGTH = 256;

export interface JwtVerifierOptions {
  /**
   * `JWT_PUBLIC_KEYS`: the issuer's public keys and each calling service's (`kid`
   * `service:<name>`); a token's `kid` picks one.
   */
  readonly publicKeys: PublicKeySet;
  readonly issuer: string;
  /** The audience of tokens the issuer signs (`JWT_AUDIENCE`). */
  readonly audience: string;
  /**
   * This service's name. A service token (signed by a service's own key) is accepted only when
   * addressed to it (`aud`); without it, every service token is refused.
   */
  readonly service?: string;
  /** Scopes each calling service may carry here. Default: the catalog's `calls`. */
  readonly grants?: CallGrants;
  /** Longest lifetime (`exp` from now) of a service token. Default 600 s. */
  readonly maxServiceTokenSeconds?: number;
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
  service,
  grants = catalogGrants,
  maxServiceTokenSeconds = 600,
  clockToleranceSeconds = 5,
  cacheSize = 10_000,
}: JwtVerifierOptions): JwtVerifier {
  // A service's key verifies that service's tokens only: the issuer's keys and the services'
  // are separate sets, and the `kid` of a token says which set (and key) to use.
  const isServiceKey = (key: { kid: string }) => serviceOf(key.kid) !== undefined;
  const issuerKeys = createLocalJWKSet({ keys: publicKeys.keys.filter((k) => !isServiceKey(k)) });
  const serviceKeys = createLocalJWKSet({ keys: publicKeys.keys.filter(isServiceKey) });
  const options = { algorithms: [JWT_ALGORITHM], clockTolerance: clockToleranceSeconds };
  const checked = async (token: string, keys: typeof issuerKeys, expectedAudience: string) => {
    try {
      const payload = await verifiedPayload(token, keys, {
        ...options,
        issuer,
        audience: expectedAudience,
        requiredClaims: ['sub', 'exp'],
      });
      const problem = subjectProblem(payload.sub);
      if (problem) throw new UnauthorizedError(`token subject ${problem}`, 'invalid_token');
      return payload as JWTPayload & { sub: string; exp: number };
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      const expected = { issuer, audience: expectedAudience };
      throw new UnauthorizedError(reasonFor(error, expected), 'invalid_token');
    }
  };
  const fromIssuer = async (token: string) => {
    const payload = await checked(token, issuerKeys, audience);
    if (serviceOf(payload.sub) !== undefined)
      throw new UnauthorizedError(
        `token subject '${payload.sub}' is a service identity: only that service's own key signs its tokens`,
        'invalid_token',
      );
    return payload;
  };
  const fromService = async (token: string, caller: string) => {
    if (service === undefined)
      throw new UnauthorizedError('this service accepts no service tokens', 'invalid_token');
    const payload = await checked(token, serviceKeys, service);
    if (payload.sub !== serviceSubject(caller))
      throw new UnauthorizedError(
        `token subject must be '${serviceSubject(caller)}', the service whose key signed it`,
        'invalid_token',
      );
    if (payload.exp - Date.now() / 1000 > maxServiceTokenSeconds + clockToleranceSeconds)
      throw new UnauthorizedError(
        `service token lives longer than ${maxServiceTokenSeconds} s`,
        'invalid_token',
      );
    const granted = grants(caller, service);
    const excess = [...scopesOf(payload)].filter((scope) => !granted.has(scope));
    if (excess.length > 0)
      throw new ForbiddenError(
        `${caller} may not call ${service} with scope(s) ${excess.join(', ')}: the catalog's calls of ${caller} grant ${[...granted].join(', ') || 'none'} here`,
        { refusedScopes: excess },
      );
    return payload;
  };
  const verify = async (token: string) => {
    const caller = serviceOf(keyIdOf(token));
    const payload =
      caller === undefined ? await fromIssuer(token) : await fromService(token, caller);
    const principal = { subject: payload.sub, scopes: scopesOf(payload) };
    return { principal, validUntilMs: (payload.exp + clockToleranceSeconds) * 1000 };
  };
  // Token → principal and the instant it stops being valid; oldest first (Map order).
  const verified = new Map<string, { principal: Principal; validUntilMs: number }>();
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

/**
 * `jwtVerify` with a key set in which several keys may share the token's `kid` (a key being
 * rotated): each is tried, and the token is valid when one of them verifies it.
 */
async function verifiedPayload(
  token: string,
  keys: ReturnType<typeof createLocalJWKSet>,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    let last: unknown = new errors.JWSSignatureVerificationFailed();
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (failure) {
        // A claim problem is the token's, whichever key checked it; a signature one may be the key's.
        last = failure;
        if (!(failure instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw last;
  }
}

/** The `kid` of a compact JWT's header; a token whose header does not parse is malformed. */
function keyIdOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    throw new UnauthorizedError('token is malformed', 'invalid_token');
  }
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

/** A scope check, carrying the scopes it requires so a route's OpenAPI operation can list them. */
export type ScopeRequirement = MiddlewareHandler<AppEnv> & {
  readonly requiredScopes: readonly string[];
};

/** The scopes `middleware` requires when it is a {@link requireScopes} check, else none. */
export const requiredScopesOf = (middleware: unknown): readonly string[] =>
  typeof middleware === 'function' && 'requiredScopes' in middleware
    ? (middleware as ScopeRequirement).requiredScopes
    : [];

/** After `authenticate`: 403 naming the missing scopes unless the principal has all of them. */
export const requireScopes = (...required: string[]): ScopeRequirement =>
  Object.assign(
    async function requireScopes(c: Context<AppEnv>, next: Next) {
      const principal = c.get('principal');
      if (!principal) throw new UnauthorizedError('missing bearer token', undefined);
      const missing = required.filter((scope) => !principal.scopes.has(scope));
      if (missing.length > 0) {
        throw new ForbiddenError(`missing required scope(s): ${missing.join(', ')}`, {
          missingScopes: missing,
        });
      }
      await next();
    },
    { requiredScopes: required },
  );
