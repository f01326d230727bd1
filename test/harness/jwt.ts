import { PublicKeySetSchema } from '../../services/platform/jwt-keys.js';
import { generateJwtKeyPair } from '../../tools/local-stack/jwt-key-pair.js';
import { signToken, type TokenOptions } from '../../tools/local-stack/sign-token.js';

/** The test issuer's key pair, one per test process, as the services' environment reads it. */
export const testJwtEnv = await generateJwtKeyPair();

/** The test issuer's public keys, as `createJwtVerifier` takes them. */
export const testPublicKeys = PublicKeySetSchema.parse(JSON.parse(testJwtEnv.JWT_PUBLIC_KEYS));

/** A bearer token signed by the test issuer. */
export const testToken = (options: Omit<TokenOptions, 'signingKey'> = {}) =>
  signToken({ signingKey: testJwtEnv.JWT_SIGNING_KEY, ...options });
