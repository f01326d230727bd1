import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/databases.js';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { serviceDefinition } from '../catalog.js';
import { economicGovernorModule } from '../economic-governor/module.js';
import { storesOf } from './module.js';
import { startService } from './runtime.js';

// aia-api's configuration requires its PostgreSQL: a real one, so only the module mismatch fails.
const database = useTestDatabase('module_mismatch');

describe('service modules', () => {
  it("refuses to start a module as another service: its build expects that service's configuration", async () => {
    await expect(
      startService('aia-api', {
        env: {
          ...testJwtEnv,
          DATABASE_URL: database.url,
          PORT: '65000',
          LOG_LEVEL: 'silent',
        },
        module: economicGovernorModule,
      }),
    ).rejects.toThrow('the module of economic-governor cannot start as aia-api');
  });

  it('gives a module the stores its definition declares, and refuses a missing database', () => {
    type Connected = Parameters<typeof storesOf>[1];
    const fakeDb = {} as Connected['db'];
    const fakeRedis = {} as Connected['redis'];
    const fakeGraph = {} as Connected['graph'];
    const fakeObjectStorage = {} as Connected['objectStorage'];
    const fakeReads = {} as Connected['reads'];
    // aia-api declares PostgreSQL and Redis: no graph or object storage even if connected.
    expect(
      storesOf(serviceDefinition('aia-api'), {
        db: fakeDb,
        reads: fakeReads,
        redis: fakeRedis,
        graph: fakeGraph,
        objectStorage: fakeObjectStorage,
      }),
    ).toEqual({
      db: fakeDb,
      reads: fakeReads,
      redis: fakeRedis,
      graph: undefined,
      objectStorage: undefined,
    });
    // Without a read pool (a module built on one database), lag-tolerant reads use the database.
    expect(storesOf(serviceDefinition('aia-api'), { db: fakeDb }).reads).toMatchObject({
      read: expect.any(Function),
    });
    expect(() => storesOf(serviceDefinition('aia-api'), { redis: fakeRedis })).toThrow(
      'aia-api declares PostgreSQL, but no database was connected',
    );
    expect(() => storesOf(serviceDefinition('economic-governor'), {})).toThrow(
      'economic-governor declares PostgreSQL, but no database was connected',
    );
  });
});
