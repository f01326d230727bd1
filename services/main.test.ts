import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test/harness/databases.js';
import { testJwtEnv } from '../test/harness/jwt.js';
import { findFreePort } from '../tools/local-servers/index.js';
import { serviceNames } from './catalog.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
const database = useTestDatabase('main');
/**
 * How long one run of main.ts may take. It needs about 4 s of CPU to load every module, but under
 * a loaded machine (other suites, 2 cores) the wall time reached 15-18 s; a hung process still fails.
 */
const CHILD_TIMEOUT_MS = 45_000;
/** A complete economic-governor environment but for DATABASE_URL. */
const serviceEnv = {
  JWT_PUBLIC_KEYS: testJwtEnv.JWT_PUBLIC_KEYS,
  TREASURY_PRIVATE_KEY: 't'.repeat(32),
  LOG_LEVEL: 'silent',
};

/** Runs `tsx services/main.ts ...args` with only `env` (plus PATH) and returns its exit and stderr. */
async function main(args: string[], env: Record<string, string>) {
  try {
    await run(join(root, 'node_modules/.bin/tsx'), [join(root, 'services/main.ts'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: CHILD_TIMEOUT_MS,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('services/main.ts', { timeout: CHILD_TIMEOUT_MS + 15_000 }, () => {
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

  it('exits 2 naming the known services when asked for an unknown one', async () => {
    const { code, stderr } = await main(['ledger'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('unknown service(s): ledger. Known: aia-api, economic-governor');
    expect(stderr).toContain('usage: npm run service -- <service>... | all');
  });

  it('exits 2 with the usage and every service when no service is named', async () => {
    const { code, stderr } = await main([], {});
    expect(code).toBe(2);
    expect(stderr).toContain('no service named');
    expect(stderr).toContain(`Services: ${serviceNames.join(', ')}`);
  });

  it('exits 78 naming the store, the variable and the address when PostgreSQL is down', async () => {
    const port = await findFreePort();
    const { code, stderr } = await main(['economic-governor'], {
      ...serviceEnv,
      DATABASE_URL: `postgres://aia:hunter2@127.0.0.1:${port}/ledger`,
    });
    expect(code).toBe(78);
    expect(stderr).toContain(
      `economic-governor cannot start: PostgreSQL is not reachable at 127.0.0.1:${port} (DATABASE_URL): connect ECONNREFUSED`,
    );
    expect(stderr).toContain('Start PostgreSQL, or point DATABASE_URL at one that runs.');
    expect(stderr).not.toContain('hunter2');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 78 with the reason PostgreSQL gives when the database does not exist', async () => {
    const url = new URL(database.url);
    url.pathname = '/no_such_database';
    const { code, stderr } = await main(['economic-governor'], {
      ...serviceEnv,
      DATABASE_URL: url.toString(),
    });
    expect(code).toBe(78);
    expect(stderr).toContain(`PostgreSQL is not reachable at ${url.hostname}:${url.port}`);
    expect(stderr).toContain('database "no_such_database" does not exist (3D000)');
  });

  it('listens on loopback only unless HOST says otherwise, and logs the URL it serves', async () => {
    const port = await findFreePort();
    const child = spawn(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'services/main.ts'), 'aia-api'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...testJwtEnv,
          // The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
          DATABASE_URL: database.url,
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [listening] = (await once(
        createInterface({ input: child.stdout }).on(
          'line',
          function check(this: NodeJS.EventEmitter, line) {
            if (line.includes('service listening')) this.emit('listening', line);
          },
        ),
        'listening',
      )) as [string];
      expect(JSON.parse(listening)).toMatchObject({ url: `http://127.0.0.1:${port}` });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // 127.0.0.2 is this machine too, but not the address bound: only 0.0.0.0 would answer it.
      await expect(fetch(`http://127.0.0.2:${port}/healthz`)).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);
});
