import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backUpStack, backupTimestamp } from './backup.js';
import { exportedState, fakeBackupSource } from './testing/fake-backup-source.js';

const NOW = new Date('2026-12-04T06:30:05.123Z');
/** What `ops` deployed after git's file: a new image, green live, a flag on. */
const deployed = {
  'gcp:project': 'aia-platform-production',
  'aia-platform:imageTag': 'sha256:2222',
  'aia-platform:services': { activeColor: 'green', featureFlags: { GOVERNANCE_ENABLED: true } },
  'aia-platform:slackWebhookUrl': { secure: 'v1:c2xhY2s=' },
  'pagerduty:token': { secure: 'v1:cGQ=' },
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'config-backup-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

describe('config:backup', () => {
  it('writes the deployed config, the exported state and their checksums into a folder named by the UTC time', async () => {
    const source = fakeBackupSource('production', { deployed });
    const backup = await backUpStack(source, { out, now: NOW });
    expect(backup.dir).toBe(join(out, 'production', '20261204T063005Z'));
    expect((await readdir(backup.dir)).sort()).toEqual([
      'Pulumi.production.yaml',
      'manifest.json',
      'state.json',
    ]);
    const config = await readFile(join(backup.dir, 'Pulumi.production.yaml'), 'utf8');
    // The deployed values, not git's: and the secrets still as the provider's ciphertext.
    expect(parse(config).config).toEqual(deployed);
    const state = await readFile(join(backup.dir, 'state.json'), 'utf8');
    expect(JSON.parse(state)).toEqual(exportedState('production'));
    const manifest = JSON.parse(await readFile(join(backup.dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual({
      stack: 'production',
      createdAt: '2026-12-04T06:30:05.123Z',
      secretsProvider:
        'gcpkms://projects/aia-platform-production/locations/us/keyRings/pulumi/cryptoKeys/stack-secrets',
      files: {
        'Pulumi.production.yaml': { sha256: sha256(config), bytes: Buffer.byteLength(config) },
        'state.json': { sha256: sha256(state), bytes: Buffer.byteLength(state) },
      },
    });
    expect(backup.bucket).toBe('aia-production-config-backups-us');
    expect(source.calls).toEqual(['config refresh', 'stack export']);
  });

  it('refuses a secret key in plain text, naming it and not its value, and writes nothing', async () => {
    const source = fakeBackupSource('staging', {
      deployed: {
        ...deployed,
        'aia-platform:smtpPassword': 'hunter2',
        'pagerduty:token': 'pd-plain',
      },
    });
    const failure = backUpStack(source, { out, now: NOW });
    await expect(failure).rejects.toMatchObject({ name: 'ConfigBackupRefused' });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toBe(
      'staging: aia-platform:smtpPassword, pagerduty:token are in plain text in the deployed Pulumi.staging.yaml; a secret must be encrypted (pulumi config set --secret aia-platform:smtpPassword <value>, then deploy). Nothing was written.',
    );
    expect(message).not.toContain('hunter2');
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses an export holding a decrypted secret, and writes nothing', async () => {
    const state = exportedState('staging', {
      secret: {
        '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
        plaintext: '"s3cret"',
      },
    });
    const failure = backUpStack(fakeBackupSource('staging', { deployed, state }), {
      out,
      now: NOW,
    });
    const message = await failure.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toBe(
      'staging: the exported state holds 1 decrypted secret ($.deployment.resources[1].outputs.result): export without --show-secrets. Nothing was written.',
    );
    expect(message).not.toContain('s3cret');
    expect(await readdir(out)).toEqual([]);
  });

  it('never overwrites a backup: a second one in the same second fails', async () => {
    const source = fakeBackupSource('staging', { deployed });
    await backUpStack(source, { out, now: NOW });
    await expect(backUpStack(source, { out, now: NOW })).rejects.toMatchObject({ code: 'EEXIST' });
    await backUpStack(source, { out, now: new Date(NOW.getTime() + 1000) });
    expect(await readdir(join(out, 'staging'))).toEqual(['20261204T063005Z', '20261204T063006Z']);
  });

  it('says nothing of a bucket when the stack has no backups output yet', async () => {
    const state = exportedState('staging', { configBucket: '' });
    const backup = await backUpStack(fakeBackupSource('staging', { deployed, state }), {
      out,
      now: NOW,
    });
    expect(backup.bucket).toBeUndefined();
  });

  it('names folders so that they sort by time', () => {
    expect(backupTimestamp(new Date('2026-01-02T03:04:05.999Z'))).toBe('20260102T030405Z');
  });
});
