import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** Runs `tsx services/main.ts ...args` with only `env` (plus PATH) and returns its exit and stderr. */
async function main(args: string[], env: Record<string, string>) {
  try {
    await run(join(root, 'node_modules/.bin/tsx'), [join(root, 'services/main.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 15_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('services/main.ts', () => {
  it('exits 78 listing every configuration problem, without echoing secrets', async () => {
    const { code, stderr } = await main(['economic-governor'], {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('Invalid configuration for economic-governor (4 problems):');
    expect(stderr).toContain("  - PORT: expected a TCP port number, received 'eighty'");
    expect(stderr).toContain('  - DATABASE_URL: expected a postgres or postgresql URL');
    expect(stderr).toContain(
      "  - JWT_PUBLIC_KEYS: required (expected a JSON Web Key Set of the issuer's ES256 public keys)",
    );
    expect(stderr).toContain('  - TREASURY_PRIVATE_KEY: required');
    expect(stderr).not.toContain('hunter2');
  });

  it('exits 64 naming the known services when asked for an unknown one', async () => {
    const { code, stderr } = await main(['ledger'], {});
    expect(code).toBe(64);
    expect(stderr).toContain('unknown service(s): ledger. Known: aia-api, economic-governor');
  });
});
