import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../../services/platform/auth.js';
import { PublicKeySetSchema } from '../../../services/platform/jwt-keys.js';
import { testJwtEnv } from '../../../test/harness/jwt.js';
import {
  ofType,
  type RecordedResource,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { generateJwtKeyPair } from '../../../tools/local-stack/jwt-key-pair.js';
import { signToken } from '../../../tools/local-stack/sign-token.js';
import { asPkcs8Pem, publicKeySetOf } from './public-keys.js';

const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));

describe('TokenIssuerKey (mocks)', () => {
  let recorded: RecordedResource[];
  let generated: {
    signingKey: string;
    publicKeys: string;
    secret: boolean;
    publicSecret: boolean;
  };
  let provided: { publicKeys: string };
  const fromConfig = testJwtEnv.JWT_SIGNING_KEY;
  let cloudKey: string;

  beforeAll(async () => {
    cloudKey = (await generateJwtKeyPair()).JWT_SIGNING_KEY;
    recorded = await startMockStack('production', ({ type }) =>
      type === 'tls:index/privateKey:PrivateKey' ? { privateKeyPemPkcs8: cloudKey } : {},
    );
    const { TokenIssuerKey } = await import('./token-issuer.js');
    const made = new TokenIssuerKey('aia-production-tokens', {});
    const given = new TokenIssuerKey('aia-production-given', {
      signingKey: pulumi.secret(fromConfig),
    });
    generated = {
      signingKey: await resolve(made.signingKey),
      publicKeys: await resolve(made.publicKeys),
      secret: await pulumi.isSecret(made.signingKey),
      publicSecret: await pulumi.isSecret(made.publicKeys),
    };
    provided = { publicKeys: await resolve(given.publicKeys) };
    await pulumi.runtime.disconnect();
  });

  it('generates an ECDSA P-256 key when none is configured, and only then', () => {
    const keys = ofType(recorded, 'tls:index/privateKey:PrivateKey');
    expect(keys.map(({ name, plain }) => [name, plain])).toEqual([
      ['aia-production-tokens-signing-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' }],
    ]);
  });

  it('keeps the private key secret and publishes its public half as a JWKS', async () => {
    expect(generated.secret).toBe(true);
    // Not secret: it goes to every service's ConfigMap.
    expect(generated.publicSecret).toBe(false);
    const set = PublicKeySetSchema.parse(JSON.parse(generated.publicKeys));
    expect(set.keys).toHaveLength(1);
    expect(generated.publicKeys).not.toContain('"d"');
    // A token the issuer signs verifies with what every service receives.
    const verify = createJwtVerifier({
      publicKeys: set,
      issuer: 'aia-platform',
      audience: 'aia-platform',
    });
    const token = await signToken({ signingKey: generated.signingKey, subject: 'gateway' });
    await expect(verify(token)).resolves.toMatchObject({ subject: 'gateway' });
  });

  it('publishes the public half of a key brought in through secret config', async () => {
    expect(provided.publicKeys).toBe(await publicKeySetOf(fromConfig));
    expect(provided.publicKeys).toBe(testJwtEnv.JWT_PUBLIC_KEYS);
  });

  it('brings a configured SEC1 key to the PKCS#8 form JOSE libraries import', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const sec1 = createPrivateKey(fromConfig).export({ format: 'pem', type: 'sec1' }).toString();
    expect(sec1).toContain('BEGIN EC PRIVATE KEY');
    const pkcs8 = asPkcs8Pem(`a comment line\n${sec1}`);
    expect(pkcs8.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(await publicKeySetOf(pkcs8)).toBe(testJwtEnv.JWT_PUBLIC_KEYS);
  });

  it('refuses a key that is not ES256', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    await expect(publicKeySetOf(rsa)).rejects.toThrow('must be an ECDSA P-256 key (ES256)');
  });
});
