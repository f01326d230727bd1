import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsSecret,
  ofType,
  type RecordedResource,
  resolve,
  secretManagerOutputs,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { resourceLabels } from '../labels.js';
import type { PlatformSecrets } from './secrets.js';

const PASSWORD = 'random:index/randomPassword:RandomPassword';
const SECRET = 'gcp:secretmanager/secret:Secret';
const VERSION = 'gcp:secretmanager/secretVersion:SecretVersion';

const labels = resourceLabels({ environment: 'production' });
const generatedValueOf = (name: string) => `generated${name.replace(/[^A-Za-z0-9]/g, '')}`;

function providerOutputs(resource: RecordedResource): Record<string, unknown> {
  const { type, name } = resource;
  switch (type) {
    case PASSWORD:
      return { result: generatedValueOf(name) };
    default:
      return secretManagerOutputs(resource);
  }
}

const provided = {
  TREASURY_PRIVATE_KEY: 'provided-treasury-0x5f2a',
  OPENAI_API_KEY: 'provided-openai-sk-91b',
  ANTHROPIC_API_KEY: 'provided-anthropic-sk-ant-44c',
};

describe('PlatformSecrets (mocks)', () => {
  let recorded: RecordedResource[];
  let secrets: PlatformSecrets;

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { PlatformSecrets } = await import('./secrets.js');
    secrets = new PlatformSecrets('platform-secrets', {
      project: 'aia-platform-production',
      secretPrefix: 'aia-production',
      labels,
      generated: ['JWT_SECRET_KEY', 'ENCRYPTION_KEY', 'TREASURY_PRIVATE_KEY'],
      provided: {
        TREASURY_PRIVATE_KEY: pulumi.secret(provided.TREASURY_PRIVATE_KEY),
        OPENAI_API_KEY: pulumi.secret(provided.OPENAI_API_KEY),
        // Read without requireSecret by mistake: it must end up secret all the same.
        ANTHROPIC_API_KEY: pulumi.output(provided.ANTHROPIC_API_KEY),
      },
    });
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
  });

  it('generates only the secrets that were not provided, 64 letters and digits each', () => {
    expect(recorded.filter((r) => r.type === 'aia:platform:PlatformSecrets')).toHaveLength(1);
    const passwords = ofType(recorded, PASSWORD);
    expect(passwords.map((r) => r.name).sort()).toEqual([
      'platform-secrets-encryption-key-value',
      'platform-secrets-jwt-secret-key-value',
    ]);
    for (const password of passwords)
      expect(password.plain).toMatchObject({ length: 64, special: false });
  });

  it('stores every generated and provided value in a Secret Manager secret named from the prefix', () => {
    expect(
      ofType(recorded, SECRET)
        .map((r) => r.plain.secretId)
        .sort(),
    ).toEqual([
      'aia-production-anthropic-api-key',
      'aia-production-encryption-key',
      'aia-production-jwt-secret-key',
      'aia-production-openai-api-key',
      'aia-production-treasury-private-key',
    ]);
    for (const secret of ofType(recorded, SECRET)) {
      expect(secret.plain).toMatchObject({
        replication: { auto: {} },
        labels,
        deletionProtection: true,
      });
    }
  });

  it('stores provided values as given and generated values as generated, always as secret inputs', () => {
    const stored = Object.fromEntries(
      ofType(recorded, VERSION).map((version) => {
        expect(holdsSecret(version.inputs.secretData), version.name).toBe(true);
        return [version.name, version.plain.secretData];
      }),
    );
    expect(stored).toEqual({
      'platform-secrets-anthropic-api-key-version': provided.ANTHROPIC_API_KEY,
      'platform-secrets-encryption-key-version': generatedValueOf(
        'platform-secrets-encryption-key-value',
      ),
      'platform-secrets-jwt-secret-key-version': generatedValueOf(
        'platform-secrets-jwt-secret-key-value',
      ),
      'platform-secrets-openai-api-key-version': provided.OPENAI_API_KEY,
      'platform-secrets-treasury-private-key-version': provided.TREASURY_PRIVATE_KEY,
    });
  });

  it('outputs every value as a secret', async () => {
    expect(Object.keys(secrets.values).sort()).toEqual([
      'ANTHROPIC_API_KEY',
      'ENCRYPTION_KEY',
      'JWT_SECRET_KEY',
      'OPENAI_API_KEY',
      'TREASURY_PRIVATE_KEY',
    ]);
    for (const value of Object.values(secrets.values))
      expect(await pulumi.isSecret(value)).toBe(true);
    expect(await resolve(secrets.values.TREASURY_PRIVATE_KEY as pulumi.Output<string>)).toBe(
      provided.TREASURY_PRIVATE_KEY,
    );
  });

  it('outputs plain secret ids that carry no secret value', async () => {
    const values = await Promise.all(Object.values(secrets.values).map(resolve));
    expect(await resolve(secrets.secretIds.JWT_SECRET_KEY as pulumi.Output<string>)).toBe(
      'projects/aia-platform-production/secrets/aia-production-jwt-secret-key',
    );
    for (const secretId of Object.values(secrets.secretIds)) {
      expect(await pulumi.isSecret(secretId)).toBe(false);
      const id = await resolve(secretId);
      for (const value of values) expect(id).not.toContain(value);
    }
  });
});

describe('planSecrets', () => {
  it('generates what is not provided and stores everything provided, sorted', async () => {
    const { planSecrets } = await import('./plan.js');
    expect(
      planSecrets(['JWT_SECRET_KEY', 'ENCRYPTION_KEY'], ['JWT_SECRET_KEY', 'GROQ_API_KEY']),
    ).toEqual([
      { envName: 'ENCRYPTION_KEY', source: 'generated' },
      { envName: 'GROQ_API_KEY', source: 'provided' },
      { envName: 'JWT_SECRET_KEY', source: 'provided' },
    ]);
  });

  it('rejects names that are not environment variable names, or listed twice', async () => {
    const { planSecrets } = await import('./plan.js');
    expect(() => planSecrets(['jwt-key'], [])).toThrow(
      'Secret "jwt-key" must be an environment variable name such as ENCRYPTION_KEY',
    );
    expect(() => planSecrets(['A_KEY', 'A_KEY'], [])).toThrow(
      'Secret A_KEY is listed twice in generated',
    );
  });

  it('turns environment variable names into secret id suffixes', async () => {
    const { kebabCase } = await import('./plan.js');
    expect(kebabCase('AZURE_OPENAI_API_KEY')).toBe('azure-openai-api-key');
  });
});
