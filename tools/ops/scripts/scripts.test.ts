import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../local-servers/binaries.js';

const here = import.meta.dirname;
const run = (file: string, args: string[]) =>
  promisify(execFile)(file, args, { cwd: '/' }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("the seed's deploy.sh, rollback.sh and health-check.sh", () => {
  it('pass shellcheck', async () => {
    const shellcheck = findExecutable('shellcheck', ['/usr/bin']);
    if (!shellcheck) throw new Error('shellcheck is not installed: `apt-get install shellcheck`');
    const scripts = (await readdir(here)).filter((name) => name.endsWith('.sh')).sort();
    expect(scripts).toEqual(['deploy.sh', 'health-check.sh', 'rollback.sh']);
    const checked = await run(
      shellcheck,
      scripts.map((name) => join(here, name)),
    );
    expect(checked.stdout).toBe('');
    expect(checked.code).toBe(0);
  });

  it('run the ops command from any directory, passing the arguments and the exit code through', async () => {
    const refused = await run(join(here, 'deploy.sh'), [
      '--stack',
      'production',
      '--digest',
      'latest',
    ]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain(
      'ops deploy: --digest: expected sha256:<64 lower-case hex digits>, got "latest"',
    );
    const help = await run(join(here, 'rollback.sh'), ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'npm run ops -- rollback --stack <staging|production> [--to-previous-digest]',
    );
  }, 120_000);
});
