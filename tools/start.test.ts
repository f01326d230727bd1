import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../services/catalog.js';
import { findFreePort } from './local-servers/index.js';
import { constantOf } from './local-stack/stack-plan.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vitest-start-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/**
 * `npm start -- ...args` as a child process. Every case here fails before a data store or a
 * service starts; each gets its own data dir and free ports so none can start a real stack.
 */
async function start(args: string[], env: Record<string, string> = {}) {
  const ports: Record<string, string> = {};
  for (const name of serviceNames) ports[`${constantOf(name)}_PORT`] = String(await findFreePort());
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'tools/start.ts'), ...args],
      {
        env: { PATH: process.env.PATH ?? '', AIA_DATA_DIR: dataDir, ...ports, ...env },
        timeout: 20_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm start', () => {
  it('prints its usage for --help and exits 0', async () => {
    const { code, stdout } = await start(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('npm start -- --port-offset 100');
    expect(stdout).toContain('ECONOMIC_GOVERNOR_PORT=9001');
  });

  it('exits 2 naming the option for a bad --port-offset, before starting anything', async () => {
    const { code, stdout, stderr } = await start(['--port-offset', 'lots']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Option '--port-offset' expects a whole number from 0 to 57530");
    expect(stderr).toContain('usage: npm start');
  });

  it('exits 1 naming the service, its port and how to move when a port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const { code, stdout, stderr } = await start([], { DKG_MANAGER_PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toContain(
        `port ${port} (dkg-manager; DKG_MANAGER_PORT) is already in use on 127.0.0.1`,
      );
      expect(stderr).toContain('npm start -- --port-offset 100');
      expect(stdout).not.toContain('PostgreSQL');
    } finally {
      taken.close();
    }
  });

  it('refuses a data dir another running npm start holds, saying how to run a second stack', async () => {
    const stackDir = join(dataDir, 'port-offset-200');
    await mkdir(stackDir, { recursive: true });
    // This test process stands for the running npm start.
    await writeFile(join(stackDir, 'npm-start.pid'), `${process.pid}\n`);
    const { code, stderr } = await start(['--port-offset', '200']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `another npm start (pid ${process.pid}) runs with data in ${stackDir}`,
    );
    expect(stderr).toContain('`npm start -- --port-offset 300`');
    expect(await readFile(join(stackDir, 'npm-start.pid'), 'utf8')).toBe(`${process.pid}\n`);
  });
});
