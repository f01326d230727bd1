import { Hono } from 'hono';
import { importPKCS8, type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { testJwtEnv, testPublicKeys, testToken } from '../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../test/harness/kit-app.js';
import { generateJwtKeyPair } from '../../tools/local-stack/jwt-key-pair.js';
import { signToken } from '../../tools/local-stack/sign-token.js';
import { authenticate, createJwtVerifier, requireScopes } from './auth.js';
import { PublicKeySetSchema, publicJwkOf } from './jwt-keys.js';
import type { AppEnv } from './types.js';

const verify = createJwtVerifier({
  publicKeys: testPublicKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
});

const token = (
  claims: { scope?: string; aud?: string } = {},
  expiresIn: number | string = '5m',
  signingKey = testJwtEnv.JWT_SIGNING_KEY,
) =>
  signToken({
    signingKey,
    subject: 'agent-7',
    scope: 'scope' in claims ? claims.scope : 'ledger:read ledger:write',
    audience: claims.aud,
    expiresIn,
  });

/** A token of the test issuer with exactly these claims. */
async function signed(claims: JWTPayload): Promise<string> {
  const { kid } = await publicJwkOf(testJwtEnv.JWT_SIGNING_KEY);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer('aia-platform')
    .setAudience('aia-platform')
    .setExpirationTime('5m')
    .sign(await importPKCS8(testJwtEnv.JWT_SIGNING_KEY, 'ES256'));
}

const api = new Hono<AppEnv>();
api.use(authenticate({ verify }));
api.get('/balance', requireScopes('ledger:read'), (c) =>
  c.json({ subject: c.get('principal')?.subject }),
);
api.post('/mint', requireScopes('treasury:admin'), (c) => c.json({ minted: true }));
const { app } = kitApp({ routes: api });

const call = (path: string, authorization?: string, method = 'GET') =>
  app.request(path, { method, headers: authorization ? { Authorization: authorization } : {} });

describe('JWT bearer verification', () => {
  it('admits a valid token that has the route scope', async () => {
    const res = await call('/v1/balance', `Bearer ${await token()}`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ subject: 'agent-7' });
  });

  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await call('/v1/balance');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect((await jsonOf(res)).detail).toBe('missing bearer token');
  });

  it('refuses a non-Bearer authorization header', async () => {
    const res = await call('/v1/balance', 'Basic dXNlcjpwYXNz');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_request"');
  });

  it('refuses an expired token and says it expired', async () => {
    const expired = await token({}, -60);
    const res = await call('/v1/balance', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token has expired');
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('a remembered token is refused once it expires', async () => {
    const strict = createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
      clockToleranceSeconds: 0,
    });
    const shortLived = await token({}, 1);
    await expect(strict(shortLived)).resolves.toMatchObject({ subject: 'agent-7' });
    await expect(strict(shortLived)).resolves.toMatchObject({ subject: 'agent-7' });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(strict(shortLived)).rejects.toThrow('token has expired');
  });

  it('remembers at most cacheSize tokens and still verifies the ones it forgot', async () => {
    const small = createJwtVerifier({
      publicKeys: testPublicKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
      cacheSize: 1,
    });
    const [first, second] = await Promise.all([token({ scope: 'a' }), token({ scope: 'b' })]);
    for (const each of [first, second, first]) {
      await expect(small(each)).resolves.toMatchObject({ subject: 'agent-7' });
    }
    // One signature character changed for another: the second to last, whose six bits all count
    // (the last carries unused padding bits). Writing a fixed "xx" left it intact 1 time in 256.
    const changed = first.at(-2) === 'A' ? 'B' : 'A';
    await expect(small(`${first.slice(0, -2)}${changed}${first.at(-1)}`)).rejects.toThrow();
  });

  it('refuses a token issued for another audience', async () => {
    const res = await call('/v1/balance', `Bearer ${await token({ aud: 'someone-else' })}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe("token audience is not 'aia-platform'");
  });

  it('refuses a token signed with a key the issuer did not publish', async () => {
    const other = await generateJwtKeyPair();
    const forged = await token({}, '5m', other.JWT_SIGNING_KEY);
    const res = await call('/v1/balance', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token is not signed by a key of the issuer');
  });

  it("refuses a token that names the issuer's key but was signed with another", async () => {
    const other = await generateJwtKeyPair();
    const { kid } = await publicJwkOf(testJwtEnv.JWT_SIGNING_KEY);
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('agent-7')
      .setIssuer('aia-platform')
      .setAudience('aia-platform')
      .setExpirationTime('5m')
      .sign(await importPKCS8(other.JWT_SIGNING_KEY, 'ES256'));
    const res = await call('/v1/balance', `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token signature is invalid');
  });

  it('refuses an HS256 token, even one keyed with the public key (algorithm confusion)', async () => {
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('agent-7')
      .setIssuer('aia-platform')
      .setAudience('aia-platform')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(testJwtEnv.JWT_PUBLIC_KEYS));
    const res = await call('/v1/balance', `Bearer ${hs256}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token algorithm must be ES256');
  });

  it('a service holds no key that can sign: its verifier takes public keys only', () => {
    for (const key of testPublicKeys.keys) expect(key).not.toHaveProperty('d');
    const [key] = testPublicKeys.keys;
    const withPrivatePart = PublicKeySetSchema.safeParse({ keys: [{ ...key, d: 'private' }] });
    expect(withPrivatePart.success).toBe(false);
    expect(withPrivatePart.error?.issues[0]?.message).toBe(
      'holds a private key (d): publish only public keys',
    );
  });

  it('refuses garbage as a malformed token', async () => {
    const res = await call('/v1/balance', 'Bearer not.a.jwt');
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token is malformed');
  });

  it('answers 403 naming the missing scope when the token lacks it', async () => {
    const res = await call('/v1/mint', `Bearer ${await token()}`, 'POST');
    expect(res.status).toBe(403);
    const problem = await jsonOf(res);
    expect(problem.detail).toBe('missing required scope(s): treasury:admin');
    expect(problem.missingScopes).toEqual(['treasury:admin']);
  });

  it('refuses a token whose subject is not a string', async () => {
    const odd = await signed({ sub: 42 as unknown as string });
    const res = await call('/v1/balance', `Bearer ${odd}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe('token subject must be a non-empty string');
  });

  it.each([
    ['longer than a store can hold', 'a'.repeat(257), 'must be at most 256 characters'],
    ['with an unpaired surrogate', 'agent\ud800x', 'must not contain unpaired UTF-16 surrogates'],
    ['with a control character', 'agent\u0007', 'must not contain control characters'],
  ])('refuses a token whose subject is %s, saying why', async (_, subject, reason) => {
    const odd = await testToken({ subject, scope: 'ledger:read' });
    const res = await call('/v1/balance', `Bearer ${odd}`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).detail).toBe(`token subject ${reason}`);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('accepts a subject of exactly 256 characters', async () => {
    const long = await testToken({ subject: 'a'.repeat(256), scope: 'ledger:read' });
    expect((await call('/v1/balance', `Bearer ${long}`)).status).toBe(200);
  });

  it('accepts scopes given as an scp array', async () => {
    const scp = await signed({ sub: 'agent-7', scp: ['treasury:admin'] });
    const res = await call('/v1/mint', `Bearer ${scp}`, 'POST');
    expect(res.status).toBe(200);
  });
});
