import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test/harness/databases.js';
import { testJwtEnv } from '../test/harness/jwt.js';
import { findFreePort } from '../tools/local-servers/index.js';
import { type RunningService, startService } from './platform/runtime.js';

const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

async function healthcheck(env: Record<string, string>) {
  try {
    await run(join(root, 'node_modules/.bin/tsx'), [join(root, 'services/healthcheck.ts')], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    return error as { code: number; stderr: string };
  }
}

// The gateway's own PostgreSQL (identities, the audit chain), as a deployed one has.
const database = useTestDatabase('healthcheck_gateway');

describe('container health check', () => {
  let api: RunningService;
  let port: string;
  beforeAll(async () => {
    port = String(await findFreePort());
    api = await startService('aia-api', {
      env: { PORT: port, HOST: '127.0.0.1', ...testJwtEnv, DATABASE_URL: database.url },
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
  });
  afterAll(() => api.stop());

  it('passes when the service in SERVICE answers /healthz', async () => {
    expect((await healthcheck({ SERVICE: 'aia-api', PORT: port })).code).toBe(0);
  });

  it('fails when nothing answers on the port', async () => {
    const { code, stderr } = await healthcheck({
      SERVICE: 'aia-api',
      PORT: String(await findFreePort()),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('healthcheck failed');
  });

  it('fails naming an unknown service', async () => {
    const { code, stderr } = await healthcheck({ SERVICE: 'aia-api,ledger' });
    expect(code).toBe(1);
    expect(stderr).toContain('unknown service(s) in SERVICE: ledger');
  });
});
