import { Hono } from 'hono';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  testJwtEnv,
  testPlatformKeys,
  testServiceKeys,
  testServiceToken,
  testToken,
} from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { authenticate, createJwtVerifier, requireScopes } from '../auth.js';
import { PublicKeySetSchema } from '../jwt-keys.js';
import type { AppEnv } from '../types.js';
import { catalogGrants } from './grants.js';
import { servicePublicJwk } from './service-keys.js';
import { serviceTokens } from './service-token.js';

/** The governor's verifier: the platform key set, its own name, the catalog's grants. */
const verify = createJwtVerifier({
  publicKeys: testPlatformKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
  service: 'economic-governor',
});

const api = new Hono<AppEnv>();
api.use(authenticate({ verify }));
api.get('/accounts', requireScopes('ledger:read'), (c) =>
  c.json({ subject: c.get('principal')?.subject }),
);
const { app } = kitApp({ routes: api });
const get = async (token: string) => {
  const res = await app.request('/v1/accounts', { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await jsonOf(res) };
};

const orchestrator = (options: Partial<Parameters<typeof testServiceToken>[0]> = {}) =>
  testServiceToken({
    service: 'agent-orchestrator',
    audience: 'economic-governor',
    scope: 'ledger:read',
    ...options,
  });

describe('service tokens at the callee', () => {
  it('admits a caller with a scope its catalog calls grant, as service:<name>', async () => {
    expect(await get(await orchestrator())).toEqual({
      status: 200,
      body: { subject: 'service:agent-orchestrator' },
    });
  });

  it('still admits the issuer’s user tokens next to the service keys', async () => {
    const user = await testToken({ subject: 'alice', scope: 'ledger:read' });
    expect(await get(user)).toEqual({ status: 200, body: { subject: 'alice' } });
  });

  it('refuses a service token addressed to another service', async () => {
    const { status, body } = await get(await orchestrator({ audience: 'dkg-manager' }));
    expect(status).toBe(401);
    expect(body.detail).toBe("token audience is not 'economic-governor'");
  });

  it('refuses a service token addressed to the platform audience of user tokens', async () => {
    const { status } = await get(await orchestrator({ audience: 'aia-platform' }));
    expect(status).toBe(401);
  });

  it('refuses a service key signing another service’s subject', async () => {
    const { status, body } = await get(
      await orchestrator({ subject: 'service:performance-tracker' }),
    );
    expect(status).toBe(401);
    expect(body.detail).toBe(
      "token subject must be 'service:agent-orchestrator', the service whose key signed it",
    );
  });

  it('refuses a service key signing a user subject', async () => {
    const { status } = await get(await orchestrator({ subject: 'alice' }));
    expect(status).toBe(401);
  });

  it('refuses a token naming another service’s key that this key signed', async () => {
    const forged = await testServiceToken({
      service: 'performance-tracker',
      audience: 'economic-governor',
      scope: 'ledger:read',
      signingKey: testServiceKeys['agent-orchestrator'],
    });
    const { status, body } = await get(forged);
    expect(status).toBe(401);
    expect(body.detail).toBe('token signature is invalid');
  });

  it('refuses a service key posing as the issuer (a kid of the issuer’s set)', async () => {
    const { kid } = decodeProtectedHeader(await testToken());
    const { status, body } = await get(await orchestrator({ subject: 'alice', kid }));
    expect(status).toBe(401);
    expect(body.detail).toBe('token signature is invalid');
  });

  it('refuses a service subject minted by the issuer', async () => {
    const minted = await testToken({ subject: 'service:agent-orchestrator', scope: 'ledger:read' });
    const { status, body } = await get(minted);
    expect(status).toBe(401);
    expect(body.detail).toContain('is a service identity');
  });

  it('answers 403 for a scope outside what the caller’s catalog calls grant here', async () => {
    const { status, body } = await get(await orchestrator({ scope: 'ledger:read treasury:admin' }));
    expect(status).toBe(403);
    expect(body.detail).toBe(
      "agent-orchestrator may not call economic-governor with scope(s) treasury:admin: the catalog's calls of agent-orchestrator grant ledger:read, ledger:write here",
    );
    expect(body.refusedScopes).toEqual(['treasury:admin']);
  });

  it('answers 403 for a service the catalog gives no calls to this one', async () => {
    const token = await testServiceToken({
      service: 'dkg-manager',
      audience: 'economic-governor',
      scope: 'ledger:read',
    });
    expect((await get(token)).status).toBe(403);
  });

  it('refuses a service token that lives longer than the limit', async () => {
    const { status, body } = await get(await orchestrator({ expiresIn: 3600 }));
    expect(status).toBe(401);
    expect(body.detail).toBe('service token lives longer than 600 s');
  });

  it('refuses every service token where the verifier has no service name', async () => {
    const anonymous = createJwtVerifier({
      publicKeys: testPlatformKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    });
    await expect(anonymous(await orchestrator())).rejects.toMatchObject({
      status: 401,
      message: 'this service accepts no service tokens',
    });
  });

  it('accepts either key while a service key is rotated (two keys, one kid)', async () => {
    const next = (await import('../../../tools/local-stack/jwt-key-pair.js')).generateSigningKey();
    const rotating = createJwtVerifier({
      publicKeys: PublicKeySetSchema.parse({
        keys: [...testPlatformKeys.keys, await servicePublicJwk('agent-orchestrator', next)],
      }),
      issuer: 'aia-platform',
      audience: 'aia-platform',
      service: 'economic-governor',
    });
    for (const signingKey of [testServiceKeys['agent-orchestrator'], next])
      await expect(rotating(await orchestrator({ signingKey }))).resolves.toMatchObject({
        subject: 'service:agent-orchestrator',
      });
  });
});

describe('catalog grants', () => {
  it('are the scopes the caller’s calls list for that callee, and nothing else', () => {
    expect([...catalogGrants('agent-orchestrator', 'economic-governor')]).toEqual([
      'ledger:read',
      'ledger:write',
    ]);
    expect([...catalogGrants('agent-orchestrator', 'dkg-manager')]).toEqual(['dkg:read']);
    // The venture-discovery tool starts runs and reads their opportunities.
    expect([...catalogGrants('agent-orchestrator', 'venture-discovery')]).toEqual([
      'ventures:read',
      'ventures:write',
    ]);
    expect(catalogGrants('agent-orchestrator', 'performance-tracker').size).toBe(0);
    // The tracker pays epoch rewards (rewards:distribute: it can neither mint nor burn),
    // reads the agents' ledger accounts from the orchestrator and sends them benchmark tasks
    // over A2A (agents:write).
    expect([...catalogGrants('performance-tracker', 'economic-governor')]).toEqual([
      'ledger:read',
      'rewards:distribute',
    ]);
    expect([...catalogGrants('performance-tracker', 'agent-orchestrator')]).toEqual([
      'agents:read',
      'agents:write',
    ]);
    // Venture discovery reads the knowledge graph's skills and tools for capability fit.
    expect([...catalogGrants('venture-discovery', 'dkg-manager')]).toEqual(['dkg:read']);
    expect(catalogGrants('venture-discovery', 'economic-governor').size).toBe(0);
    expect(catalogGrants('not-a-service', 'economic-governor').size).toBe(0);
  });
});

describe('serviceTokens (the caller’s side)', () => {
  const clock = { ms: Date.UTC(2026, 0, 1) };
  const tokens = serviceTokens({
    service: 'agent-orchestrator',
    signingKey: testServiceKeys['agent-orchestrator'],
    issuer: 'aia-platform',
    now: () => clock.ms,
  });

  it('signs iss, sub, kid, aud and scope for the callee', async () => {
    const token = await tokens('economic-governor', ['ledger:write', 'ledger:read']);
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      kid: 'service:agent-orchestrator',
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'aia-platform',
      sub: 'service:agent-orchestrator',
      aud: 'economic-governor',
      scope: 'ledger:read ledger:write',
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  });

  it('reuses a token until a minute before it expires, then signs a new one', async () => {
    const first = await tokens('economic-governor', ['ledger:read']);
    clock.ms += 239_000;
    expect(await tokens('economic-governor', ['ledger:read'])).toBe(first);
    clock.ms += 1_000;
    const renewed = await tokens('economic-governor', ['ledger:read']);
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).iat).toBe(Math.floor(clock.ms / 1000));
  });

  it('keeps one token per audience and scope set', async () => {
    const read = await tokens('economic-governor', ['ledger:read']);
    expect(await tokens('economic-governor', ['ledger:read', 'ledger:write'])).not.toBe(read);
    expect(decodeJwt(await tokens('dkg-manager', ['ledger:read'])).aud).toBe('dkg-manager');
  });

  it('fails a call, saying what to set, when the service has no signing key', async () => {
    const keyless = serviceTokens({
      service: 'agent-orchestrator',
      signingKey: undefined,
      issuer: 'x',
    });
    await expect(keyless('economic-governor', [])).rejects.toThrow(
      'agent-orchestrator has no SERVICE_SIGNING_KEY, so it cannot call economic-governor',
    );
  });

  it('makes tokens the callee’s verifier admits', async () => {
    const live = serviceTokens({
      service: 'agent-orchestrator',
      signingKey: testServiceKeys['agent-orchestrator'],
      issuer: 'aia-platform',
    });
    const principal = await verify(await live('economic-governor', ['ledger:write']));
    expect(principal.subject).toBe('service:agent-orchestrator');
    expect([...principal.scopes]).toEqual(['ledger:write']);
  });
});

describe('the issuer key set beside the service keys', () => {
  it('keeps the issuer key first and binds each service key to its service by kid', () => {
    expect(testPlatformKeys.keys[0]?.kid).toBe(JSON.parse(testJwtEnv.JWT_PUBLIC_KEYS).keys[0].kid);
    expect(testPlatformKeys.keys.slice(1).map((key) => key.kid)).toContain(
      'service:agent-orchestrator',
    );
  });
});
