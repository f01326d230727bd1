import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRET_CONFIG_KEYS } from '../../infra/config.js';
import {
  configBucketOf,
  decryptedSecretPaths,
  plainSecretKeys,
  secretsProviderOf,
} from './secrets.js';
import type { BackupSource } from './source.js';

/** A backup that would hold a secret in clear: nothing was written. */
export class ConfigBackupRefused extends Error {
  override readonly name = 'ConfigBackupRefused';
}

/** `manifest.json`: what the backup holds, to check a copy against before restoring it. */
export interface BackupManifest {
  readonly stack: string;
  readonly createdAt: string;
  /** The key the `secure:` values and the state's secrets are encrypted with: it must exist to restore. */
  readonly secretsProvider?: string;
  /** File name → its SHA-256 (hex) and size in bytes. */
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
}

export interface ConfigBackup {
  /** `<out>/<stack>/<UTC timestamp>`. */
  readonly dir: string;
  readonly manifest: BackupManifest;
  /** The stack output `backups.configBucket`, when the stack has it. */
  readonly bucket?: string;
}

/** `20261204T192530Z`: sorts by time, and has no `:` (a file name on any system, an object name in a URL). */
export const backupTimestamp = (now: Date): string =>
  now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(/[-:]/g, '');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Backs up the stack's deployed configuration and its state into a new folder
 * `<out>/<stack>/<UTC timestamp>/`: `Pulumi.<stack>.yaml` (after `pulumi config refresh`),
 * `state.json` (`pulumi stack export`) and `manifest.json`. Refuses, writing nothing, when a key
 * the platform treats as secret is in plain text in the config, or the export holds a decrypted
 * secret: a backup is copied to places the secrets were never meant to reach. Never overwrites:
 * the folder must not exist yet.
 */
export async function backUpStack(
  source: BackupSource,
  { out, now = new Date() }: { out: string; now?: Date },
): Promise<ConfigBackup> {
  const configName = `Pulumi.${source.name}.yaml`;
  const config = await source.deployedConfigFile();
  const plain = plainSecretKeys(config, SECRET_CONFIG_KEYS);
  if (plain.length > 0) {
    throw new ConfigBackupRefused(
      `${source.name}: ${plain.join(', ')} ${plain.length === 1 ? 'is' : 'are'} in plain text in the deployed ${configName}; a secret must be encrypted (pulumi config set --secret ${plain[0]} <value>, then deploy). Nothing was written.`,
    );
  }
  const stateText = await source.exportedState();
  const state = JSON.parse(stateText);
  const decrypted = decryptedSecretPaths(state);
  if (decrypted.length > 0) {
    throw new ConfigBackupRefused(
      `${source.name}: the exported state holds ${decrypted.length} decrypted secret${decrypted.length === 1 ? '' : 's'} (${decrypted.slice(0, 3).join(', ')}${decrypted.length > 3 ? ', …' : ''}): export without --show-secrets. Nothing was written.`,
    );
  }
  const contents: Record<string, string> = { [configName]: config, 'state.json': stateText };
  const secretsProvider = secretsProviderOf(state);
  const manifest: BackupManifest = {
    stack: source.name,
    createdAt: now.toISOString(),
    ...(secretsProvider ? { secretsProvider } : {}),
    files: Object.fromEntries(
      Object.entries(contents).map(([file, text]) => [
        file,
        { sha256: sha256(text), bytes: Buffer.byteLength(text) },
      ]),
    ),
  };
  const stackDir = join(out, source.name);
  const dir = join(stackDir, backupTimestamp(now));
  await mkdir(stackDir, { recursive: true });
  // Not recursive: an existing folder (a second run in the same second) fails instead of being overwritten.
  await mkdir(dir);
  for (const [file, text] of Object.entries(contents)) {
    await writeFile(join(dir, file), text, { flag: 'wx' });
  }
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
    flag: 'wx',
  });
  const bucket = configBucketOf(state);
  return { dir, manifest, ...(bucket ? { bucket } : {}) };
}
