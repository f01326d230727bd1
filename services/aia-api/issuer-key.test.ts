import { describe, expect, it } from 'vitest';
import { testJwtEnv, testPublicKeys } from '../../test/harness/jwt.js';
import { generateJwtKeyPair } from '../../tools/local-stack/jwt-key-pair.js';
import { checkIssuerKey } from './issuer-key.js';

describe('the gateway as the one token issuer', () => {
  it('starts when its signing key is among the published public keys', async () => {
    const config = { JWT_SIGNING_KEY: testJwtEnv.JWT_SIGNING_KEY, JWT_PUBLIC_KEYS: testPublicKeys };
    await expect(
      checkIssuerKey(config.JWT_SIGNING_KEY, config.JWT_PUBLIC_KEYS),
    ).resolves.toBeUndefined();
  });

  it('refuses to start with a signing key nobody can verify, saying so', async () => {
    const stray = await generateJwtKeyPair();
    const config = { JWT_SIGNING_KEY: stray.JWT_SIGNING_KEY, JWT_PUBLIC_KEYS: testPublicKeys };
    await expect(checkIssuerKey(config.JWT_SIGNING_KEY, config.JWT_PUBLIC_KEYS)).rejects.toThrow(
      "JWT_SIGNING_KEY's public key is not in JWT_PUBLIC_KEYS",
    );
  });

  it('keeps issuing through a rotation: the old and the new public key both published', async () => {
    const next = await generateJwtKeyPair();
    const both = {
      keys: [...testPublicKeys.keys, ...JSON.parse(next.JWT_PUBLIC_KEYS).keys],
    };
    await expect(checkIssuerKey(next.JWT_SIGNING_KEY, both)).resolves.toBeUndefined();
  });
});
