import { describe, expect, it } from 'vitest';
import { testPlatformKeys } from '../../test/harness/jwt.js';
import { moduleRoutes } from '../../test/harness/module-routes.js';
import { serviceDefinition } from '../catalog.js';
import { createJwtVerifier } from '../platform/auth.js';
import type { Database } from '../platform/db.js';
import { createServiceMetrics } from '../platform/metrics.js';
import { performanceTrackerModule } from './module.js';

const build = (env: Record<string, string>) =>
  moduleRoutes('performance-tracker', performanceTrackerModule, {
    env,
    // Building touches no table: the routes and workers only hold the database.
    db: {} as Database,
    verify: createJwtVerifier({
      publicKeys: testPlatformKeys,
      issuer: 'aia-platform',
      audience: 'aia-platform',
      service: 'performance-tracker',
    }),
    registry: createServiceMetrics({
      service: 'performance-tracker',
      declared: serviceDefinition('performance-tracker').metrics,
    }).registry,
  });

describe('the performance tracker module', () => {
  it('ranks with its two leader workers while PERFORMANCE_TRACKING_ENABLED is on, and serves the API', async () => {
    const { routes, parts } = build({});
    expect(parts.workers?.map((worker) => worker.name)).toEqual(
      expect.arrayContaining(['rank-publisher', 'scorecard-refresh']),
    );
    const document = (await (await routes.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/agents/{id}/rank-history',
        '/agents/{id}/scorecard',
        '/leaderboard',
      ]),
    );
  });

  it('pays epochs with its leader worker and serves the epochs API', async () => {
    const { routes, parts } = build({});
    expect(parts.workers?.map((worker) => worker.name)).toContain('epoch-payout');
    const document = (await (await routes.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/epochs',
        '/epochs/{n}',
        '/epochs/{n}/dry-run',
        '/epochs/{n}/hold',
        '/epochs/{n}/release',
      ]),
    );
  });

  it('refuses epoch settings out of range, naming the variable', () => {
    expect(() => build({ EPOCH_HOURS: '0' })).toThrow(/EPOCH_HOURS/);
    expect(() => build({ EPOCH_REWARD_BUDGET_AIA: '1e3' })).toThrow(/EPOCH_REWARD_BUDGET_AIA/);
    expect(() => build({ EPOCH_REWARD_BUDGET_AIA: '0' })).toThrow(/EPOCH_REWARD_BUDGET_AIA/);
    expect(() => build({ EPOCH_SCORE_FLOOR: '1' })).toThrow(/EPOCH_SCORE_FLOOR/);
    expect(() => build({ EPOCH_CAP_SHARE: '1.5' })).toThrow(/EPOCH_CAP_SHARE/);
    expect(() => build({ EPOCH_CAP_SHARE: '0' })).toThrow(/EPOCH_CAP_SHARE/);
  });

  it('takes no runs in and ranks nothing with PERFORMANCE_TRACKING_ENABLED off', () => {
    const { parts } = build({ PERFORMANCE_TRACKING_ENABLED: 'false' });
    expect(parts.workers).toEqual([]);
    expect(parts.start).toBeUndefined();
  });

  it('refuses window settings out of range, naming the variable', () => {
    expect(() => build({ SCORECARD_WINDOW_DAYS: '0' })).toThrow(/SCORECARD_WINDOW_DAYS/);
    expect(() => build({ SCORECARD_HALF_LIFE_HOURS: 'soon' })).toThrow(/SCORECARD_HALF_LIFE_HOURS/);
  });
});
