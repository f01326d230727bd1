import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StreamFixture,
  startStreamFixture,
} from '../services/aia-api/stream/testing/stream-fixture.js';
import { useTestRedis } from '../test/harness/index.js';
import { testPublicKeys, testToken } from '../test/harness/jwt.js';

const redis = useTestRedis();
let fixture: StreamFixture;
beforeAll(async () => {
  fixture = await startStreamFixture({
    redisUrl: redis.url,
    keyPrefix: `${redis.keyPrefix}${randomUUID().slice(0, 8)}:`,
    publicKeys: testPublicKeys,
    taskAccess: async () => false,
  });
});
afterAll(() => fixture?.close());

/** `npx tsx tools/stream-watch.ts ...args` against the fixture's hub, its exit code and output. */
async function watch(scope: string, ...args: string[]) {
  const gateway = fixture.url.replace('ws:', 'http:').replace('/v1/stream', '');
  const token = await testToken({ subject: 'user:ada', scope });
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'stream-watch.ts'), ...args],
    { env: { ...process.env, AIA_TOKEN: token, AIA_GATEWAY: gateway }, timeout: 30_000 },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe('tools/stream-watch.ts', () => {
  it('exits with status 1 after printing why its subscription was refused', async () => {
    const refused = await watch('agents:read', 'aia.agents.tasks.v1', `task_id=${randomUUID()}`);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout.trim())).toMatchObject({
      type: 'error',
      code: 'task_not_found',
      field: 'filter.task_id',
    });
  });
});
