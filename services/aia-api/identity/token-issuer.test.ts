import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { testJwtEnv, testPublicKeys } from '../../../test/harness/jwt.js';
import { publicJwkOf } from '../../platform/jwt-keys.js';
import { createTokenIssuer } from './token-issuer.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'aia-platform';
const LIFETIME_SECONDS = 300;

describe('the gateway token issuer', () => {
  it('signs with a key whose PEM has explanatory text before it, as the configuration accepts', async () => {
    // The offline plan marks its issuer key this way; JWT_SIGNING_KEY's check lets it through.
    const signingKey = `plan-secret-jwt-signing-key\n${testJwtEnv.JWT_SIGNING_KEY}`;
    const issue = createTokenIssuer({ signingKey, issuer: ISSUER, audience: AUDIENCE });
    const { token, expiresIn } = await issue({
      subject: 'client:reports',
      scopes: ['ledger:read', 'agents:run', 'ledger:read'],
      lifetimeSeconds: LIFETIME_SECONDS,
    });
    const { payload } = await jwtVerify(
      token,
      createLocalJWKSet({ keys: [...testPublicKeys.keys] }),
      {
        issuer: ISSUER,
        audience: AUDIENCE,
      },
    );
    expect(payload).toMatchObject({ sub: 'client:reports', scope: 'agents:run ledger:read' });
    expect(expiresIn).toBe(LIFETIME_SECONDS);
    expect(decodeProtectedHeader(token).kid).toBe(
      (await publicJwkOf(testJwtEnv.JWT_SIGNING_KEY)).kid,
    );
  });
});
