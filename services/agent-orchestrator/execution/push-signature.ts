import { createHash } from 'node:crypto';
import { importPKCS8, type JWK, SignJWT } from 'jose';
import { JWT_ALGORITHM, publicJwkOf } from '../../platform/jwt-keys.js';
import { serviceSubject } from '../../platform/service-identity/subjects.js';

/** Where receivers fetch the key that verifies push notifications (a public route). */
export const PUSH_JWKS_PATH = '/a2a/.well-known/jwks.json';

/** The `iss` of every push notification's JWT: the orchestrator's service identity. */
export const PUSH_ISSUER = serviceSubject('agent-orchestrator');

/** How long a notification's JWT is valid: a captured one cannot be replayed for long. */
const PUSH_JWT_LIFETIME_SECONDS = 300;

/** What one notification's JWT vouches for. */
export interface PushClaims {
  /** The webhook URL it is sent to (`aud`): a JWT for one webhook is refused by another. */
  readonly url: string;
  /** The notification's id (`jti`), the same on every attempt: receivers drop duplicates by it. */
  readonly notificationId: string;
  /** The exact body sent, hashed into `request_body_sha256` (hex). */
  readonly body: string;
}

/** Signs push notifications and publishes the key that verifies them. */
export interface PushSigner {
  sign(claims: PushClaims): Promise<string>;
  /** The public key as a JSON Web Key Set, for {@link PUSH_JWKS_PATH}. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** The hex SHA-256 of `body`, as `request_body_sha256` carries it. */
export const bodySha256 = (body: string): string =>
  createHash('sha256').update(body, 'utf8').digest('hex');

/**
 * Signs with the orchestrator's service identity key (`SERVICE_SIGNING_KEY`, ES256): a JWT with
 * `iss` {@link PUSH_ISSUER}, `aud` the webhook URL, `iat`, a five-minute `exp`, `jti` the
 * notification id and `request_body_sha256`; its `kid` is the key's RFC 7638 thumbprint, as in
 * the published JWKS. A receiver verifies the signature with the JWKS, then that `aud` is its own
 * URL, that the body's hash matches, and drops a `jti` it has seen.
 *
 * @example
 * const signer = pushSigner(config.SERVICE_SIGNING_KEY);
 * headers.Authorization = `Bearer ${await signer.sign({ url, notificationId, body })}`;
 */
export function pushSigner(signingKeyPem: string, now: () => number = Date.now): PushSigner {
  const key = importPKCS8(signingKeyPem, JWT_ALGORITHM);
  const publicJwk = publicJwkOf(signingKeyPem);
  // A bad key fails at the first use, not as an unhandled rejection now.
  key.catch(() => {});
  publicJwk.catch(() => {});
  return {
    async sign({ url, notificationId, body }) {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({ request_body_sha256: bodySha256(body) })
        .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid: (await publicJwk).kid })
        .setIssuer(PUSH_ISSUER)
        .setAudience(url)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + PUSH_JWT_LIFETIME_SECONDS)
        .setJti(notificationId)
        .sign(await key);
    },
    async jwks() {
      return { keys: [await publicJwk] };
    },
  };
}
