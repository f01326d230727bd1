import { exportPKCS8, generateKeyPair } from 'jose';
import { signToken } from '../../tools/local-stack/sign-token.js';
import { testJwtEnv } from '../harness/jwt.js';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Bearer tokens every service must refuse (401), each named for the failure it stands for: none
 * of them may ever reach a handler, whatever scopes it claims.
 */
export async function badTokens(scope: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user:mallory', scope, iss: 'aia-platform', aud: 'aia-platform' };
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const otherKey = await exportPKCS8(privateKey);
  const valid = await signToken({
    signingKey: testJwtEnv.JWT_SIGNING_KEY,
    subject: claims.sub,
    scope,
  });
  const [header, payload] = valid.split('.');
  return {
    'not a JWT': 'definitely-not-a-token',
    'alg none': `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...claims, exp: now + 600 })}.`,
    'signed by another key': await signToken({ signingKey: otherKey, subject: claims.sub, scope }),
    'signature of another payload': `${header}.${encode({ ...claims, sub: 'user:admin', exp: now + 600 })}.${valid.split('.')[2]}`,
    'truncated signature': `${header}.${payload}.${valid.split('.')[2]?.slice(0, 20)}`,
    expired: await signToken({
      signingKey: testJwtEnv.JWT_SIGNING_KEY,
      subject: claims.sub,
      scope,
      expiresIn: -3600,
    }),
    'wrong audience': await signToken({
      signingKey: testJwtEnv.JWT_SIGNING_KEY,
      subject: claims.sub,
      scope,
      audience: 'someone-else',
    }),
    'wrong issuer': await signToken({
      signingKey: testJwtEnv.JWT_SIGNING_KEY,
      subject: claims.sub,
      scope,
      issuer: 'https://evil.example',
    }),
    'HS256 with the public key as secret': `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, exp: now + 600 })}.${Buffer.from('x').toString('base64url')}`,
  };
}
