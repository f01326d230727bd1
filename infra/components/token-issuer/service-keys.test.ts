import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../../services/platform/auth.js';
import { PublicKeySetSchema } from '../../../services/platform/jwt-keys.js';
import { serviceTokens } from '../../../services/platform/service-identity/service-token.js';
import { startMockStack } from '../../../test/harness/pulumi-mock-stack.js';
import { generateSigningKey } from '../../../tools/local-stack/jwt-key-pair.js';

const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));

describe('TokenIssuerKey service keys (mocks)', () => {
  const keys = new Map<string, string>();
  let made: { publicKeys: string; orchestrator: string; secret: boolean; services: string[] };

  beforeAll(async () => {
    await startMockStack('production', ({ type, name }) => {
      if (type !== 'tls:index/privateKey:PrivateKey') return {};
      if (!keys.has(name)) keys.set(name, generateSigningKey());
      return { privateKeyPemPkcs8: keys.get(name) };
    });
    const { TokenIssuerKey } = await import('./token-issuer.js');
    const issuer = new TokenIssuerKey('aia-production', { services: ['agent-orchestrator'] });
    const orchestrator = issuer.serviceSigningKeys['agent-orchestrator'] as pulumi.Output<string>;
    made = {
      publicKeys: await resolve(issuer.publicKeys),
      orchestrator: await resolve(orchestrator),
      secret: await pulumi.isSecret(orchestrator),
      services: Object.keys(issuer.serviceSigningKeys),
    };
    await pulumi.runtime.disconnect();
  });

  it('generates one key per calling service, kept secret, and none for the others', () => {
    expect(made.services).toEqual(['agent-orchestrator']);
    expect(made.secret).toBe(true);
    expect(made.orchestrator).toBe(keys.get('aia-production-agent-orchestrator-signing-key'));
  });

  it('publishes the service keys beside the issuer key, so the callee verifies its tokens', async () => {
    const set = PublicKeySetSchema.parse(JSON.parse(made.publicKeys));
    expect(set.keys.map((key) => key.kid).slice(1)).toEqual(['service:agent-orchestrator']);
    const verify = createJwtVerifier({
      publicKeys: set,
      issuer: 'aia-platform',
      audience: 'aia-platform',
      service: 'economic-governor',
    });
    const tokens = serviceTokens({
      service: 'agent-orchestrator',
      signingKey: made.orchestrator,
      issuer: 'aia-platform',
    });
    const principal = await verify(await tokens('economic-governor', ['ledger:write']));
    expect(principal.subject).toBe('service:agent-orchestrator');
  });
});
