import { importPKCS8, SignJWT } from 'jose';
import { serviceNames } from '../../services/catalog.js';
import { JWT_ALGORITHM, PublicKeySetSchema } from '../../services/platform/jwt-keys.js';
import { serviceSubject } from '../../services/platform/service-identity/subjects.js';
import {
  generateJwtKeyPair,
  generateSigningKey,
  publicKeysOf,
} from '../../tools/local-stack/jwt-key-pair.js';
import { signToken, type TokenOptions } from '../../tools/local-stack/sign-token.js';

/** The test issuer's key pair, one per test process, as the services' environment reads it. */
export const testJwtEnv = await generateJwtKeyPair();

/** The test issuer's public keys, as `createJwtVerifier` takes them. */
export const testPublicKeys = PublicKeySetSchema.parse(JSON.parse(testJwtEnv.JWT_PUBLIC_KEYS));

/** A bearer token signed by the test issuer. */
export const testToken = (options: Omit<TokenOptions, 'signingKey'> = {}) =>
  signToken({ signingKey: testJwtEnv.JWT_SIGNING_KEY, ...options });

/** A `SERVICE_SIGNING_KEY` per catalog service, one set per test process. */
export const testServiceKeys: Readonly<Record<string, string>> = Object.fromEntries(
  serviceNames.map((name) => [name, generateSigningKey()]),
);

/** `JWT_PUBLIC_KEYS` as the stacks give it: the test issuer's key and every service's. */
export const testPlatformKeysJson = await publicKeysOf(testJwtEnv.JWT_SIGNING_KEY, testServiceKeys);

/** {@link testPlatformKeysJson}, as `createJwtVerifier` takes it. */
export const testPlatformKeys = PublicKeySetSchema.parse(JSON.parse(testPlatformKeysJson));

export interface TestServiceTokenOptions {
  /** Whose key signs (and, by default, the `kid` and `sub`). */
  readonly service: string;
  readonly audience: string;
  /** Space-separated scopes. Default none. */
  readonly scope?: string;
  /** Default `service:<service>`; another value forges a subject with this service's key. */
  readonly subject?: string;
  /** Default `service:<service>`. */
  readonly kid?: string;
  /** Seconds from now. Default 300. */
  readonly expiresIn?: number;
  /** The signing key. Default the service's test key. */
  readonly signingKey?: string;
}

/** A service token signed with a test service key, honest or forged, for verifier tests. */
export async function testServiceToken({
  service,
  audience,
  scope = '',
  subject = serviceSubject(service),
  kid = serviceSubject(service),
  expiresIn = 300,
  signingKey = testServiceKeys[service],
}: TestServiceTokenOptions): Promise<string> {
  if (!signingKey) throw new Error(`no test key for ${service}`);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(scope ? { scope } : {})
    .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid })
    .setIssuer('aia-platform')
    .setSubject(subject)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(await importPKCS8(signingKey, JWT_ALGORITHM));
}
