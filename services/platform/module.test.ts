import { describe, expect, it } from 'vitest';
import { testJwtEnv } from '../../test/harness/jwt.js';
import { serviceDefinition } from '../catalog.js';
import { economicGovernorModule } from '../economic-governor/module.js';
import { storesOf } from './module.js';
import { startService } from './runtime.js';

describe('service modules', () => {
  it("refuses to start a module as another service: its build expects that service's configuration", async () => {
    await expect(
      startService('aia-api', {
        env: { ...testJwtEnv, PORT: '65000', LOG_LEVEL: 'silent' },
        module: economicGovernorModule,
      }),
    ).rejects.toThrow('the module of economic-governor cannot start as aia-api');
  });

  it('gives a module the stores its definition declares, and refuses a missing database', () => {
    const fakeRedis = {} as Parameters<typeof storesOf>[1]['redis'];
    // aia-api declares Redis only: no graph even if one were connected.
    expect(storesOf(serviceDefinition('aia-api'), { redis: fakeRedis })).toEqual({
      db: undefined,
      redis: fakeRedis,
      graph: undefined,
    });
    expect(() => storesOf(serviceDefinition('economic-governor'), {})).toThrow(
      'economic-governor declares PostgreSQL, but no database was connected',
    );
  });
});
