import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { gcpPolicies } from './index.js';
import {
  memorystoreAuth,
  memorystoreHighAvailability,
  memorystoreTransitEncryption,
} from './memorystore.js';
import { redis } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('Memorystore policies', () => {
  it('pass the production Redis instance under every GCP policy', async () => {
    expect(await violationsOf(gcpPolicies, [redis()])).toEqual([]);
  });

  it('flag an instance without AUTH', async () => {
    const instance = withInput(redis(), 'authEnabled', undefined);
    expect(await violationsOf([memorystoreAuth], [instance])).toEqual([
      violation(
        memorystoreAuth,
        instance,
        "Memorystore instance 'aia-production-redis' accepts clients without AUTH: set authEnabled to true and hand clients the AUTH string through Secret Manager.",
      ),
    ]);
  });

  it('flag an instance that does not encrypt traffic in transit', async () => {
    const instance = withInput(redis(), 'transitEncryptionMode', 'DISABLED');
    expect(await violationsOf([memorystoreTransitEncryption], [instance])).toEqual([
      violation(
        memorystoreTransitEncryption,
        instance,
        "Memorystore instance 'aia-production-redis' does not encrypt traffic in transit (transitEncryptionMode DISABLED): set transitEncryptionMode to SERVER_AUTHENTICATION.",
      ),
    ]);
  });

  it('flag a BASIC tier instance, the tier the API picks when none is set', async () => {
    const instance = withInput(redis(), 'tier', undefined);
    expect(await violationsOf([memorystoreHighAvailability], [instance])).toEqual([
      violation(
        memorystoreHighAvailability,
        instance,
        "Memorystore instance 'aia-production-redis' is on the BASIC tier, without a replica to fail over to: set tier to STANDARD_HA.",
      ),
    ]);
  });
});
