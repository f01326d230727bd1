import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Every shell script of the repository, committed or not yet (ignored files aside). */
const scripts = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.sh'],
  { cwd: root, encoding: 'utf8' },
)
  .split('\n')
  .filter(Boolean);

/** shellcheck (Debian's, installed by tools/setup.sh) on `files`: exit code and findings. */
async function shellcheck(files: string[]) {
  try {
    await run('shellcheck', ['--format=gcc', ...files], { cwd: root });
    return { code: 0, output: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe('shellcheck', () => {
  it('finds the shell scripts', () => {
    expect(scripts).toEqual(
      expect.arrayContaining(['tools/setup.sh', 'tools/release-workflow/scan-image.sh']),
    );
  });

  it('passes every shell script of the repository', async () => {
    const { code, output } = await shellcheck(scripts);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('fails a script with an unquoted expansion, naming the file, line and rule', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shellcheck-'));
    try {
      const script = join(dir, 'broken.sh');
      await writeFile(script, '#!/usr/bin/env bash\nrm -rf $1/cache\n');
      const { code, output } = await shellcheck([script]);
      expect(code).toBe(1);
      expect(output).toContain(`${script}:2:8: note: Double quote to prevent globbing`);
      expect(output).toContain('[SC2086]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
