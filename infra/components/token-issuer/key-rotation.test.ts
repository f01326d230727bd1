import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../../services/platform/auth.js';
import { PublicKeySetSchema } from '../../../services/platform/jwt-keys.js';
import { generateSigningKey } from '../../../tools/local-stack/jwt-key-pair.js';
import { signToken } from '../../../tools/local-stack/sign-token.js';
import { tokenIssuerSchema } from '../../config-schema.js';
import { issuerPublicKeyProblem, publicKeySetOf } from './public-keys.js';

/** What a service does with its `JWT_PUBLIC_KEYS`: verify a token of `signingKey` with them. */
async function accepted(publicKeys: string, signingKey: string): Promise<boolean> {
  const verify = createJwtVerifier({
    publicKeys: PublicKeySetSchema.parse(JSON.parse(publicKeys)),
    issuer: 'aia-platform',
    audience: 'aia-platform',
  });
  const token = await signToken({ signingKey, subject: 'client:dashboards' });
  return verify(token).then(
    () => true,
    () => false,
  );
}

const publicPem = (privatePem: string) =>
  createPublicKey(createPrivateKey(privatePem)).export({ format: 'pem', type: 'spki' }).toString();

describe('rotating the token issuer key through tokenIssuer.additionalPublicKeys', () => {
  it('never refuses a token of a published key: publish the next, switch, retire the old', async () => {
    const oldKey = generateSigningKey();
    const newKey = generateSigningKey();
    const before = await publicKeySetOf(oldKey);
    expect(await accepted(before, newKey)).toBe(false);

    // 1. The next key published (its PEM public half) while the gateway still signs with the old.
    const published = await publicKeySetOf(oldKey, {}, [publicPem(newKey)]);
    expect(await accepted(published, oldKey)).toBe(true);
    expect(await accepted(published, newKey)).toBe(true);

    // 2. The gateway signs with the new key; the old one stays, as the JWK a service's set showed.
    const oldJwk = JSON.parse(before).keys[0];
    const switched = await publicKeySetOf(newKey, {}, [oldJwk]);
    expect(await accepted(switched, oldKey)).toBe(true);
    expect(await accepted(switched, newKey)).toBe(true);
    // The signing key comes first: it is the current one.
    expect(JSON.parse(switched).keys[0].kid).toBe(JSON.parse(published).keys[1].kid);

    // 3. After a token lifetime the old key is retired, and its tokens are refused.
    const retired = await publicKeySetOf(newKey);
    expect(await accepted(retired, oldKey)).toBe(false);
    expect(await accepted(retired, newKey)).toBe(true);
  });

  it('publishes a key once, even when the additional keys repeat the current one', async () => {
    const key = generateSigningKey();
    const set = JSON.parse(await publicKeySetOf(key, {}, [publicPem(key), publicPem(key)]));
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).not.toHaveProperty('d');
  });

  it('refuses in config, naming the entry, a private key, another algorithm, or no key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    const entries = [generateSigningKey(), rsa, 'not a key', { kty: 'EC', crv: 'P-256' }];
    const result = tokenIssuerSchema.safeParse({ additionalPublicKeys: entries });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues).toEqual([
      ['additionalPublicKeys.0', 'expected a public key, not a private one'],
      ['additionalPublicKeys.1', 'expected an ECDSA P-256 (ES256) key, got RSA'],
      ['additionalPublicKeys.2', expect.stringMatching(/^not a PEM public key or a JWK: /)],
      ['additionalPublicKeys.3', expect.stringMatching(/^not a PEM public key or a JWK: /)],
    ]);
    expect(issuerPublicKeyProblem(publicPem(generateSigningKey()))).toBeUndefined();
  });
});
