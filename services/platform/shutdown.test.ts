import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../test/harness/jwt.js';
import { findFreePort } from '../../tools/local-servers/index.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
let child: ChildProcess | undefined;
// The fixture is the gateway, which has its own PostgreSQL (identities, the audit chain).
const database = useTestDatabase('shutdown_gateway');

/** Starts the slow-service fixture as a real process and resolves with its URL. */
async function startFixture(extraEnv: Record<string, string> = {}): Promise<string> {
  child = spawn(tsx, [join(root, 'test/fixtures/slow-service.ts')], {
    env: {
      ...process.env,
      PORT: String(await findFreePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ...testJwtEnv,
      DATABASE_URL: database.url,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    output += chunk.toString();
    const match = /ready (\S+)/.exec(output);
    if (match) return match[1] as string;
  }
  throw new Error(`fixture exited before it was ready: ${output}`);
}

const authorized = async () => ({
  headers: { Authorization: `Bearer ${await testToken()}` },
});

const exitOf = (process: ChildProcess) =>
  process.exitCode !== null ? Promise.resolve([process.exitCode]) : once(process, 'exit');

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

describe('graceful shutdown', () => {
  it('finishes a request in flight when SIGTERM arrives, refuses new ones, exits 0', async () => {
    const url = await startFixture();
    const inFlight = fetch(`${url}/v1/slow?ms=800`, await authorized());
    await new Promise((resolve) => setTimeout(resolve, 200));
    child?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    const [code] = await exitOf(child as ChildProcess);
    expect(code).toBe(0);
  });

  it('keeps serving with readiness failing during the drain delay', async () => {
    const url = await startFixture({ SHUTDOWN_DRAIN_DELAY_MS: '1500' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    child?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toBe('shutting down');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const [code] = await exitOf(child as ChildProcess);
    expect(code).toBe(0);
  });

  it('cuts requests still running at the deadline and still exits 0', async () => {
    const url = await startFixture({ SHUTDOWN_TIMEOUT_MS: '300' });
    const inFlight = fetch(`${url}/v1/slow?ms=5000`, await authorized()).then(
      (res) => res.status,
      () => 'connection closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    child?.kill('SIGTERM');
    expect(await inFlight).toBe('connection closed');
    const [code] = await exitOf(child as ChildProcess);
    expect(code).toBe(0);
  });
});
