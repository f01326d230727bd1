import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { useTestRedis } from '../../test/harness/redis.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { serviceDefinition } from '../catalog.js';
import { defineModule } from './module.js';
import { startService } from './runtime.js';

const database = useTestDatabase('module_stop');
const redis = useTestRedis();
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

describe("a module's stop", () => {
  it('runs on shutdown after the workers stopped, while the stores are still open', async () => {
    const steps: string[] = [];
    const module = defineModule(
      serviceDefinition('aia-api'),
      { title: 'stop probe', description: 'stop probe' },
      ({ stores }) => ({
        start: async () => {
          steps.push('start');
        },
        workers: [
          {
            name: 'probe',
            intervalMs: 60_000,
            run: async (signal: AbortSignal): Promise<'idle'> => {
              await new Promise((resolve) => signal.addEventListener('abort', resolve));
              steps.push('worker stopped');
              return 'idle';
            },
          },
        ],
        stop: async () => {
          const [row] = await stores.db`select 1 as one`;
          steps.push(`stop (redis: ${await stores.redis?.ping()}, db: ${row?.one})`);
        },
      }),
    );
    const service = await startService('aia-api', {
      env: {
        ...testJwtEnv,
        PORT: String(await findFreePort()),
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        LOG_LEVEL: 'silent',
      },
      module,
      logDestination: silent,
    });
    expect(steps).toEqual(['start']);
    await service.stop();
    expect(steps).toEqual(['start', 'worker stopped', 'stop (redis: PONG, db: 1)']);
  });
});
