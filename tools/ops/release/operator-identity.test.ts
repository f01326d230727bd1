import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { type StandIns, standIns } from '../../release-workflow/testing/stand-ins.js';
import {
  githubActor,
  OPS_AUDIT_AUDIENCE,
  operatorIdentity,
  requireOperatorIdentity,
} from './operator-identity.js';

/**
 * A stand-in for GitHub Actions' OIDC side: the runner's token endpoint (checks the request
 * token, hands out `token`) and the issuer's keys (the public half of `published`).
 */
async function oidcStandIn(sign: (issuer: string) => Promise<string>, published: CryptoKey) {
  let issuer = '';
  const jwk = { ...(await exportJWK(published)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (url.pathname === '/.well-known/jwks') {
      response.setHeader('Content-Type', 'application/json');
      return response.end(JSON.stringify({ keys: [jwk] }));
    }
    if (
      url.pathname === '/token' &&
      request.headers.authorization === 'Bearer runner-request-token' &&
      url.searchParams.get('audience') === OPS_AUDIT_AUDIENCE
    ) {
      response.setHeader('Content-Type', 'application/json');
      return response.end(JSON.stringify({ value: await sign(issuer) }));
    }
    response.statusCode = 403;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token',
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const CLAIMS = {
  actor: 'octocat',
  repository: 'aia-org/aia-platform',
  workflow_ref: 'aia-org/aia-platform/.github/workflows/flags.yml@refs/heads/main',
  run_id: '4242',
};

const signedBy = (key: CryptoKey) => (issuer: string) =>
  new SignJWT(CLAIMS)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(OPS_AUDIT_AUDIENCE)
    .setSubject('repo:aia-org/aia-platform:ref:refs/heads/main')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

describe('the identity a flag change is recorded under', () => {
  let bin: StandIns | undefined;
  let closeOidc: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await bin?.remove();
    await closeOidc?.();
    bin = undefined;
    closeOidc = undefined;
  });

  it("is gcloud's account once gcloud has issued it a token", async () => {
    bin = await standIns({
      gcloud: [
        { args: ['config', 'get', 'account'], stdout: 'ana@aia.example\n' },
        { args: ['auth', 'print-access-token'], stdout: 'ya29.stand-in\n' },
      ],
    });
    expect(await operatorIdentity({ env: { PATH: bin.bin } })).toBe('ana@aia.example');
    expect((await bin.calls()).map((call) => call.args)).toEqual([
      ['config', 'get', 'account'],
      ['auth', 'print-access-token', '--account=ana@aia.example', '--quiet'],
    ]);
  });

  it('refuses, with a sentence saying how to log in, when the account holds no working credentials', async () => {
    bin = await standIns({
      gcloud: [
        { args: ['config', 'get', 'account'], stdout: 'ana@aia.example\n' },
        {
          args: ['auth', 'print-access-token'],
          exit: 1,
          stderr: 'ERROR: (gcloud.auth.print-access-token) Reauthentication failed.\n',
        },
      ],
    });
    await expect(requireOperatorIdentity({ env: { PATH: bin.bin } })).rejects.toThrow(
      'no authenticated identity to record the change under: log in with gcloud (gcloud auth login',
    );
  });

  it('never takes a declared name: without gcloud or a login, $USER and git config count for nothing', async () => {
    bin = await standIns({ gcloud: [{ args: ['config', 'get', 'account'], stdout: '' }] });
    const declared = { USER: 'mallory', GIT_AUTHOR_EMAIL: 'ceo@aia.example' };
    expect(await operatorIdentity({ env: { PATH: bin.bin, ...declared } })).toBeUndefined();
    // No gcloud on PATH at all.
    expect(await operatorIdentity({ env: { PATH: '/nonexistent', ...declared } })).toBeUndefined();
  });

  it('in a GitHub Actions job, is the actor of its OIDC token, verified against the issuer keys', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const oidc = await oidcStandIn(signedBy(privateKey), publicKey);
    closeOidc = oidc.close;
    bin = await standIns({ gcloud: [] });
    expect(
      await operatorIdentity({ env: { ...oidc.env, PATH: bin.bin }, githubIssuer: oidc.issuer }),
    ).toBe(
      'github:octocat (aia-org/aia-platform/.github/workflows/flags.yml@refs/heads/main, run 4242)',
    );
    // gcloud (the release service account there) is not asked.
    expect(await bin.calls()).toEqual([]);
  });

  it('rejects an OIDC token the issuer did not sign', async () => {
    const issuerKeys = await generateKeyPair('RS256', { extractable: true });
    const forger = await generateKeyPair('RS256', { extractable: true });
    const oidc = await oidcStandIn(signedBy(forger.privateKey), issuerKeys.publicKey);
    closeOidc = oidc.close;
    await expect(githubActor({ env: oidc.env, githubIssuer: oidc.issuer })).rejects.toThrow(
      /signature verification failed/,
    );
  });
});
