import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StandIns, standIns } from '../release-workflow/testing/stand-ins.js';

const script = join(import.meta.dirname, 'upload.sh');
const BUCKET = 'aia-production-config-backups-nam4';
const DESTINATION = `gs://${BUCKET}/production/20261204T051700Z/`;
const FILES = ['Pulumi.production.yaml', 'manifest.json', 'state.json'];

let dir: string;
let folder: string;
let fakes: StandIns | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-upload-'));
  folder = join(dir, 'production', '20261204T051700Z');
  await mkdir(folder, { recursive: true });
  for (const file of FILES) await writeFile(join(folder, file), '{}');
});
afterEach(async () => {
  await fakes?.remove();
  await rm(dir, { recursive: true, force: true });
});

const listing = (files: readonly string[]) =>
  files.map((file) => `${DESTINATION}${file}\n`).join('');

describe('config-backup upload.sh', () => {
  it('copies the folder under <stack>/<timestamp>/ without ever overwriting, then finds every file there', async () => {
    fakes = await standIns({ gcloud: [{ args: ['storage', 'ls'], stdout: listing(FILES) }] });
    const { code, stdout, stderr } = await fakes.run(script, ['production', folder, BUCKET]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`production backed up to ${DESTINATION} (3 files)`);
    expect((await fakes.calls()).map(({ args }) => args)).toEqual([
      ['storage', 'cp', '--no-clobber', ...FILES.map((file) => join(folder, file)), DESTINATION],
      ['storage', 'ls', DESTINATION],
    ]);
  });

  it('fails when a file is missing from the bucket after the copy (skipped or lost)', async () => {
    fakes = await standIns({
      gcloud: [{ args: ['storage', 'ls'], stdout: listing(FILES.slice(1)) }],
    });
    const { code, stderr } = await fakes.run(script, ['production', folder, BUCKET]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${DESTINATION} holds 2 of the backup's 3 files`);
  });

  it('fails naming the output when the stack has no config-backup bucket yet, before any copy', async () => {
    fakes = await standIns({ gcloud: [] });
    const { code, stderr } = await fakes.run(script, ['production', folder, '']);
    expect(code).toBe(1);
    expect(stderr).toContain('production has no stack output backups.configBucket');
    expect(await fakes.calls()).toEqual([]);
  });
});
