import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';

export const memorystoreAuth: ResourceValidationPolicy = {
  name: 'gcp-memorystore-auth',
  description: 'Memorystore for Redis instances require AUTH.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.redis.Instance, (instance, args, report) => {
    if (instance.authEnabled !== true) {
      report(
        `Memorystore instance '${instance.name ?? args.name}' accepts clients without AUTH: set authEnabled to true and hand clients the AUTH string through Secret Manager.`,
      );
    }
  }),
};

export const memorystoreTransitEncryption: ResourceValidationPolicy = {
  name: 'gcp-memorystore-transit-encryption',
  description: 'Memorystore for Redis instances encrypt traffic in transit with TLS.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.redis.Instance, (instance, args, report) => {
    const mode = instance.transitEncryptionMode ?? 'DISABLED';
    if (mode !== 'SERVER_AUTHENTICATION') {
      report(
        `Memorystore instance '${instance.name ?? args.name}' does not encrypt traffic in transit (transitEncryptionMode ${mode}): set transitEncryptionMode to SERVER_AUTHENTICATION.`,
      );
    }
  }),
};

export const memorystoreHighAvailability: ResourceValidationPolicy = {
  name: 'gcp-memorystore-high-availability',
  description:
    'Memorystore for Redis instances run on the STANDARD_HA tier, with a replica to fail over to.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.redis.Instance, (instance, args, report) => {
    const tier = instance.tier ?? 'BASIC';
    if (tier !== 'STANDARD_HA') {
      report(
        `Memorystore instance '${instance.name ?? args.name}' is on the ${tier} tier, without a replica to fail over to: set tier to STANDARD_HA.`,
      );
    }
  }),
};

export const memorystorePolicies: ResourceValidationPolicy[] = [
  memorystoreAuth,
  memorystoreTransitEncryption,
  memorystoreHighAvailability,
];
