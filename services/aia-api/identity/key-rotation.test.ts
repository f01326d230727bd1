import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../../tools/local-stack/jwt-key-pair.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { type PublicKeySet, PublicKeySetSchema, publicJwkOf } from '../../platform/jwt-keys.js';
import { checkIssuerKey } from '../issuer-key.js';
import { createTokenIssuer } from './token-issuer.js';

/** `JWT_PUBLIC_KEYS` publishing the public halves of `pems`, as the services parse it. */
const keySet = async (...pems: string[]): Promise<PublicKeySet> =>
  PublicKeySetSchema.parse({ keys: await Promise.all(pems.map(publicJwkOf)) });
const issuerWith = (signingKey: string) =>
  createTokenIssuer({ signingKey, issuer: 'aia-platform', audience: 'aia-platform' });
const verifierOf = (publicKeys: PublicKeySet) =>
  createJwtVerifier({ publicKeys, issuer: 'aia-platform', audience: 'aia-platform', cacheSize: 0 });
const request = { subject: 'user:ada', scopes: ['ledger:read'], lifetimeSeconds: 60 };

describe('rotating the issuer key', () => {
  it('keeps tokens of the old key and of the new one valid while both are published', async () => {
    const [old, next] = [generateSigningKey(), generateSigningKey()];
    const services = verifierOf(await keySet(old, next));
    const before = await issuerWith(old)(request);
    // The gateway switches to the new key: it may, because the services already have it.
    await expect(checkIssuerKey(next, await keySet(old, next))).resolves.toBeUndefined();
    const after = await issuerWith(next)(request);
    expect((await services(before.token)).subject).toBe('user:ada');
    expect((await services(after.token)).subject).toBe('user:ada');
  });

  it('refuses to sign with a key the services do not have yet, whose tokens they would refuse', async () => {
    const [old, next] = [generateSigningKey(), generateSigningKey()];
    await expect(checkIssuerKey(next, await keySet(old))).rejects.toThrow(/not in JWT_PUBLIC_KEYS/);
    const { token } = await issuerWith(next)(request);
    await expect(verifierOf(await keySet(old))(token)).rejects.toThrow(
      /not signed by a key of the issuer/,
    );
  });

  it('ends the old key once it is no longer published', async () => {
    const [old, next] = [generateSigningKey(), generateSigningKey()];
    const { token } = await issuerWith(old)(request);
    await expect(verifierOf(await keySet(next))(token)).rejects.toThrow(
      /not signed by a key of the issuer/,
    );
  });
});
