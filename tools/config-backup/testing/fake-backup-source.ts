import { stringify } from 'yaml';
import type { StackName } from '../../../services/catalog.js';
import type { BackupSource } from '../source.js';

/** What Pulumi's state marks a secret with. */
export const SECRET_MARKER = {
  '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
};

/** A secret as `pulumi stack export` writes it without `--show-secrets`. */
export const encryptedSecret = (ciphertext: string) => ({ ...SECRET_MARKER, ciphertext });

/**
 * A minimal `pulumi stack export` of a stack whose root resource has the `backups` output, with
 * one resource holding an encrypted secret (or `secret` as given, e.g. decrypted).
 */
export function exportedState(
  name: StackName,
  {
    configBucket = `aia-${name}-config-backups-us`,
    secret = encryptedSecret('v1:abc'),
  }: { configBucket?: string; secret?: unknown } = {},
) {
  return {
    version: 3,
    deployment: {
      manifest: { time: '2026-12-01T10:00:00Z', magic: 'm', version: 'v3.200.0' },
      secrets_providers: {
        type: 'cloud',
        state: {
          url: `gcpkms://projects/aia-platform-${name}/locations/us/keyRings/pulumi/cryptoKeys/stack-secrets`,
        },
      },
      resources: [
        {
          urn: `urn:pulumi:${name}::aia-platform::pulumi:pulumi:Stack::aia-platform-${name}`,
          type: 'pulumi:pulumi:Stack',
          outputs: { stack: name, ...(configBucket ? { backups: { configBucket } } : {}) },
        },
        {
          urn: `urn:pulumi:${name}::aia-platform::random:index/randomPassword:RandomPassword::p`,
          type: 'random:index/randomPassword:RandomPassword',
          outputs: { result: secret },
        },
      ],
    },
  };
}

/**
 * An in-memory stack: `deployed` is the config its last update ran with (keys `namespace:name`,
 * a secret as `{ secure: <ciphertext> }`) and `state` its export.
 */
export function fakeBackupSource(
  name: StackName,
  { deployed, state = exportedState(name) }: { deployed: Record<string, unknown>; state?: unknown },
): BackupSource & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    name,
    calls,
    deployedConfigFile: async () => {
      calls.push('config refresh');
      return stringify({ secretsprovider: 'gcpkms://…', config: deployed });
    },
    exportedState: async () => {
      calls.push('stack export');
      return JSON.stringify(state, null, 4);
    },
  };
}
