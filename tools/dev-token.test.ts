import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesOfRole } from '../services/aia-api/identity/roles.js';
import { testJwtEnv } from '../test/harness/jwt.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
let emptyDataDir: string;
beforeAll(async () => {
  emptyDataDir = await mkdtemp(join(tmpdir(), 'vitest-dev-token-'));
});
afterAll(() => rm(emptyDataDir, { recursive: true, force: true }));

/** `npm run token -- ...args` as a child process: its exit code, stdout and stderr. */
async function token(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/dev-token.ts'), ...args],
      {
        env: { PATH: process.env.PATH ?? '', JWT_SIGNING_KEY: testJwtEnv.JWT_SIGNING_KEY, ...env },
        timeout: 15_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await token(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: npm run token -- [--sub NAME]');
    expect(stdout).toContain('--ttl LIFETIME');
  });

  it('reads a bare --ttl as seconds and signs the subject and scopes asked for', async () => {
    const { code, stdout } = await token(['--ttl', '1', '--sub', 'ada', '--scope', 'ledger:read']);
    expect(code).toBe(0);
    const claims = decodeJwt(stdout.trim());
    expect(claims).toMatchObject({ sub: 'ada', scope: 'ledger:read', iss: 'aia-platform' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1);
  });

  it("signs a role's scopes, with --scope added to them", async () => {
    const { code, stdout } = await token([
      '--sub',
      'user:ada',
      '--role',
      'viewer',
      '--scope',
      'dkg:write',
    ]);
    expect(code).toBe(0);
    // The role's scopes as roles.ts has them (every `*:read` for a viewer), then the added one.
    expect(decodeJwt(stdout.trim()).scope).toBe([...scopesOfRole('viewer'), 'dkg:write'].join(' '));
    expect(scopesOfRole('viewer')).toContain('ledger:read');
  });

  it('accepts a lifetime with a unit', async () => {
    const { code, stdout } = await token(['--ttl', '15m']);
    expect(code).toBe(0);
    const claims = decodeJwt(stdout.trim());
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
  });

  it.each([
    [['--ttl', 'soon'], "Option '--ttl' expects seconds (3600) or a number and a unit"],
    [['--ttl', '0'], "Option '--ttl' expects seconds"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--sub'], "Option '--sub <value>' argument missing"],
    [['--sub', ''], "Option '--sub' must not be empty"],
    [['--role', 'root'], "Option '--role' expects one of viewer, agent-operator"],
    [['ada'], "Unexpected argument 'ada'"],
  ])('exits 2 naming the option for %j, without a stack trace', async (args, message) => {
    const { code, stdout, stderr } = await token(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run token');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 saying where it looked when there is no signing key', async () => {
    const { code, stderr } = await token([], { JWT_SIGNING_KEY: '', AIA_DATA_DIR: emptyDataDir });
    expect(code).toBe(1);
    expect(stderr).toContain(
      `run \`npm start\` once (it writes ${join(emptyDataDir, 'secrets.json')})`,
    );
  });

  it('exits 1 without a stack trace when the key is not a signing key', async () => {
    const { code, stderr } = await token([], { JWT_SIGNING_KEY: 'not a key' });
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot sign with that key');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
