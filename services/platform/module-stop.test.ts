import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { useTestRedis } from '../../test/harness/redis.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { serviceDefinition } from '../catalog.js';
import { defineModule } from './module.js';
import { startService } from './runtime.js';

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
          steps.push(`stop (redis: ${await stores.redis?.ping()})`);
        },
      }),
    );
    const service = await startService('aia-api', {
      env: {
        ...testJwtEnv,
        PORT: String(await findFreePort()),
        REDIS_URL: redis.url,
        LOG_LEVEL: 'silent',
      },
      module,
      logDestination: silent,
    });
    expect(steps).toEqual(['start']);
    await service.stop();
    expect(steps).toEqual(['start', 'worker stopped', 'stop (redis: PONG)']);
  });
});
