import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { findFreePort } from '../local-servers/index.js';
import { type Supervised, supervise } from './supervisor.js';

const root = join(import.meta.dirname, '../..');
// The gateway's own PostgreSQL (identities, the audit chain), as `npm start` gives it one.
const database = useTestDatabase('supervisor_gateway');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitest-supervisor-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** aia-api as `npm start` runs it: its own process, `services/main.ts aia-api`. */
async function superviseApi(env: Record<string, string>, lines: string[]): Promise<Supervised> {
  const port = await findFreePort();
  return supervise({
    name: 'aia-api',
    command: [process.execPath, '--import', 'tsx', join(root, 'services/main.ts'), 'aia-api'],
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...testJwtEnv,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      ...env,
    },
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    logFile: join(dir, 'aia-api.log'),
    say: (line) => lines.push(line),
    restartDelayMs: 100,
  });
}

describe('npm start supervises each service', () => {
  it('starts a service that dies again, and says so', async () => {
    const lines: string[] = [];
    const api = await superviseApi({}, lines);
    try {
      const first = api.pid() as number;
      process.kill(first, 'SIGKILL');
      for (let waited = 0; !lines.includes('  ✓ aia-api is back'); waited += 100) {
        expect(waited, lines.join('\n')).toBeLessThan(30_000);
        await sleep(100);
      }
      expect(lines[0]).toBe('  ✗ aia-api was killed by SIGKILL; restarting in 0.1 s (restart 1)');
      expect(api.restarts()).toBe(1);
      expect(api.pid()).not.toBe(first);
    } finally {
      await api.stop();
    }
    // A stop is not a death: nothing restarts it.
    await sleep(300);
    expect(api.restarts()).toBe(1);
    expect(lines).toHaveLength(2);
  }, 60_000);

  it('does not restart a service whose configuration is invalid, and shows why', async () => {
    const lines: string[] = [];
    const attempt = superviseApi({ JWT_SIGNING_KEY: 'not a key' }, lines);
    await expect(attempt).rejects.toThrow(/aia-api did not start[\s\S]*JWT_SIGNING_KEY/);
    expect(await readFile(join(dir, 'aia-api.log'), 'utf8')).toContain('JWT_SIGNING_KEY');
    expect(lines).toEqual([
      expect.stringMatching(
        /^ {2}✗ aia-api exited with code 78: its configuration is invalid, not restarting/,
      ),
    ]);
  }, 60_000);

  it('does not announce a restart for a process that dies before it first answered', async () => {
    const lines: string[] = [];
    const attempt = supervise({
      name: 'broken',
      command: [process.execPath, '-e', 'console.error("cannot start"); process.exit(3)'],
      env: { PATH: process.env.PATH ?? '' },
      healthUrl: `http://127.0.0.1:${await findFreePort()}/healthz`,
      logFile: join(dir, 'broken.log'),
      say: (line) => lines.push(line),
      restartDelayMs: 100,
    });
    await expect(attempt).rejects.toThrow(/broken did not start[\s\S]*cannot start/);
    await sleep(300);
    expect(lines).toEqual([]);
  }, 60_000);
});
