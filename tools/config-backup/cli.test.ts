import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exportedState } from './testing/fake-backup-source.js';

const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * A `pulumi` stand-in first on PATH: logs each call (its directory and arguments), writes the
 * deployed config file into the directory `config refresh` runs in, prints the state on `stack export`.
 */
const STAND_IN = `#!/bin/bash
printf '%s\\t%s\\n' "$PWD" "$*" >> "$FAKE_PULUMI_LOG"
case "$1 $2" in
  "config refresh") cp "$FAKE_PULUMI_CONFIG" "Pulumi.$5.yaml" ;;
  "stack export") cat "$FAKE_PULUMI_STATE" ;;
  *) echo "error: unexpected command" >&2; exit 1 ;;
esac
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-backup-cli-'));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/pulumi'), STAND_IN);
  await chmod(join(dir, 'bin/pulumi'), 0o755);
  await writeFile(join(dir, 'state.json'), JSON.stringify(exportedState('staging')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function configBackup(config: Record<string, unknown>, args: string[], path?: string) {
  await writeFile(join(dir, 'config.yaml'), stringify({ config }));
  await writeFile(join(dir, 'calls.log'), '');
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/config-backup.ts'), ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          PATH: path ?? `${join(dir, 'bin')}:${process.env.PATH}`,
          FAKE_PULUMI_LOG: join(dir, 'calls.log'),
          FAKE_PULUMI_CONFIG: join(dir, 'config.yaml'),
          FAKE_PULUMI_STATE: join(dir, 'state.json'),
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

const calls = async () =>
  (await readFile(join(dir, 'calls.log'), 'utf8'))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t') as [string, string]);

describe('npm run config:backup', () => {
  it('backs up through the Pulumi CLI without decrypting, outside the checkout, and prints the folder and bucket', async () => {
    const gitCopy = await readFile(join(root, 'Pulumi.staging.yaml'), 'utf8');
    const out = join(dir, 'out-ok');
    const deployed = {
      'aia-platform:imageTag': 'sha256:2222',
      'aia-platform:smtpPassword': { secure: 'v1:c210cA==' },
    };
    const { code, stdout, stderr } = await configBackup(deployed, [
      '--stack',
      'staging',
      '--out',
      out,
    ]);
    expect(stderr).toContain('config:backup: staging backed up in');
    expect(code).toBe(0);
    const [folder] = await readdir(join(out, 'staging'));
    expect(stdout).toBe(
      `dir=${join(out, 'staging', folder ?? '')}\nbucket=aia-staging-config-backups-us\n`,
    );
    const recorded = await calls();
    expect(recorded.map(([, args]) => args)).toEqual([
      'config refresh --force --stack staging --non-interactive',
      'stack export --stack staging --non-interactive',
    ]);
    expect(recorded.map(([, args]) => args).join(' ')).not.toContain('--show-secrets');
    // config refresh runs in a project of its own: git's copy is neither read nor overwritten.
    expect(recorded[0]?.[0]).not.toBe(root);
    expect(await readFile(join(root, 'Pulumi.staging.yaml'), 'utf8')).toBe(gitCopy);
    const written = await readFile(
      join(out, 'staging', folder ?? '', 'Pulumi.staging.yaml'),
      'utf8',
    );
    expect(written).toContain('secure: v1:c210cA==');
  }, 60_000);

  it('exits 1 naming a plain-text secret key, and writes nothing', async () => {
    const out = join(dir, 'out-refused');
    const { code, stdout, stderr } = await configBackup(
      { 'aia-platform:encryptionKey': 'plain-value' },
      ['--stack', 'staging', '--out', out],
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'config:backup: staging: aia-platform:encryptionKey is in plain text in the deployed Pulumi.staging.yaml',
    );
    expect(stderr).not.toContain('plain-value');
    expect(stdout).toBe('');
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);

  it('exits 1 saying so when the Pulumi CLI is not installed, and 64 on a bad flag', async () => {
    const missing = await configBackup(
      {},
      ['--stack', 'staging', '--out', join(dir, 'x')],
      '/usr/bin:/bin',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'cannot back up staging: pulumi config refresh --force: not installed',
    );
    const bad = await configBackup({}, ['--stack', 'dev', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain(
      '--stack (one of staging, production) and --out <dir> are required',
    );
  }, 60_000);
});
