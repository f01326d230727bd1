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

type Module = typeof import('./secret-manager.js');

const SECRET = 'gcp:secretmanager/secret:Secret';
const VERSION = 'gcp:secretmanager/secretVersion:SecretVersion';
const labels = resourceLabels({ environment: 'staging' });

describe('SecretManagerSecret (mocks)', () => {
  let recorded: RecordedResource[];
  let module: Module;
  let guarded: InstanceType<Module['SecretManagerSecret']>;

  beforeAll(async () => {
    recorded = await startMockStack('staging', secretManagerOutputs);
    module = await import('./secret-manager.js');
    guarded = new module.SecretManagerSecret('jwt', {
      project: 'aia-platform-staging',
      secretId: module.secretIdFor('aia-staging', 'jwt-secret-key'),
      value: 'plain-text-value',
      labels,
    });
    new module.SecretManagerSecret('scratch', {
      project: 'aia-platform-staging',
      secretId: 'aia-staging-scratch',
      value: pulumi.output('another-value'),
      labels,
      deletionProtection: false,
    });
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
  });

  it('records a component, a secret and a version per secret', () => {
    expect(recorded.filter((r) => r.type === 'aia:platform:SecretManagerSecret')).toHaveLength(2);
    expect(ofType(recorded, SECRET).map((r) => r.name)).toEqual(['jwt-secret', 'scratch-secret']);
    expect(ofType(recorded, VERSION).map((r) => r.name)).toEqual([
      'jwt-version',
      'scratch-version',
    ]);
  });

  it('names the secret from the prefix, replicates it automatically and labels it', () => {
    const [jwt] = ofType(recorded, SECRET);
    expect(jwt?.plain).toMatchObject({
      project: 'aia-platform-staging',
      secretId: 'aia-staging-jwt-secret-key',
      replication: { auto: {} },
      labels,
    });
  });

  it('protects the secret from deletion unless told otherwise', () => {
    expect(ofType(recorded, SECRET).map((r) => r.plain.deletionProtection)).toEqual([true, false]);
  });

  it('sends the value as a secret even when it was given in plain text', () => {
    for (const version of ofType(recorded, VERSION)) {
      expect(holdsSecret(version.inputs.secretData)).toBe(true);
      expect(version.plain).toMatchObject({ deletionPolicy: 'DISABLE' });
    }
    expect(ofType(recorded, VERSION)[0]?.plain.secretData).toBe('plain-text-value');
  });

  it('outputs the full secret id, the short name and the version, none of them secret', async () => {
    expect(await resolve(guarded.secretId)).toBe(
      'projects/aia-platform-staging/secrets/aia-staging-jwt-secret-key',
    );
    expect(await resolve(guarded.name)).toBe('aia-staging-jwt-secret-key');
    expect(await resolve(guarded.version)).toBe(
      'projects/aia-platform-staging/secrets/aia-staging-jwt-secret-key/versions/1',
    );
    for (const output of [guarded.secretId, guarded.name, guarded.version]) {
      expect(await pulumi.isSecret(output)).toBe(false);
    }
  });

  it('rejects a secret id Secret Manager would refuse, saying why', () => {
    expect(() => module.secretIdFor('aia staging', 'x')).toThrow(/letters, digits, "-" and "_"/);
    expect(
      () =>
        new module.SecretManagerSecret('bad', {
          project: 'p',
          secretId: 'a/b',
          value: 'v',
          labels,
        }),
    ).toThrow(/Secret ID "a\/b" is invalid/);
  });
});
