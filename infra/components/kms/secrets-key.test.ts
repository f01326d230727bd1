import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import type { ClusterSecretsKey } from './secrets-key.js';

describe('ClusterSecretsKey (mocks)', () => {
  let recorded: RecordedResource[];
  let key: ClusterSecretsKey;
  const one = (type: string) => {
    const found = recorded.find((r) => r.type === type);
    if (!found) throw new Error(`no ${type}`);
    return found;
  };

  beforeAll(async () => {
    recorded = await startMockStack('production', () => ({}));
    const { ClusterSecretsKey } = await import('./secrets-key.js');
    key = new ClusterSecretsKey('aia-production-secrets', {
      project: 'aia-platform-production',
      region: 'us-central1',
      prefix: 'aia-production',
      projectNumber: '123456789012',
      labels: { owner: 'platform', environment: 'production', service: 'cluster' },
    });
    await resolve(key.keyName);
    await pulumi.runtime.disconnect();
  });

  it("puts a key ring in the cluster's region, with a key rotated every 90 days", () => {
    expect(one('gcp:kms/keyRing:KeyRing').plain).toEqual({
      project: 'aia-platform-production',
      location: 'us-central1',
      name: 'aia-production-gke',
    });
    expect(one('gcp:kms/cryptoKey:CryptoKey').plain).toMatchObject({
      name: 'gke-secrets',
      purpose: 'ENCRYPT_DECRYPT',
      rotationPeriod: '7776000s',
    });
  });

  it("lets GKE's service agent, and only it, encrypt and decrypt with the key", () => {
    const grants = recorded.filter(
      (r) => r.type === 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
    );
    expect(grants.map((g) => [g.plain.role, g.plain.member])).toEqual([
      [
        'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        'serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com',
      ],
    ]);
  });

  it('passes the policy pack', async () => {
    expect(await packViolations(plannedFromRecorded(recorded))).toEqual([]);
  });
});
