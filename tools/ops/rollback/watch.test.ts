import { describe, expect, it } from 'vitest';
import type { InstantQuery } from '../prometheus-query.js';
import { promDurationMs } from './prom-duration.js';
import { rollbackTriggers } from './triggers.js';
import { DEFAULT_WATCH, watchRelease } from './watch.js';

/** A clock that moves `stepMs` at every error-rate query (checks at 0, 500, 1000 ...), and the values those queries see. */
function scriptedChecks(values: number[], stepMs: number) {
  let clock = 0;
  let check = 0;
  const query: InstantQuery = async (expr) => {
    if (expr.startsWith('histogram_quantile')) return [];
    clock += stepMs;
    return [{ labels: {}, value: values[Math.min(check++, values.length - 1)] as number }];
  };
  return { query, now: () => clock };
}

describe('watchRelease', () => {
  it('needs a trigger to hold for the sustain period: a spike that falls back starts over', async () => {
    const { query, now } = scriptedChecks([20, 5, 20, 20, 20, 20, 20], 500);
    const result = await watchRelease({
      service: 'aia-api',
      namespace: 'aia',
      colour: 'green',
      query,
      now,
      settings: { intervalMs: 0, sustainMs: 1_500, durationMs: 60_000 },
    });
    expect(result).toEqual({
      outcome: 'breached',
      breach: expect.objectContaining({
        value: 20,
        // Above at 0, back under at 500, above again from 1000: 1.5 s later, at 2500.
        since: new Date(1_000).toISOString(),
        at: new Date(2_500).toISOString(),
      }),
    });
  });

  it('takes its sustain period from the rollback alerts, and its triggers from the catalog', () => {
    expect(DEFAULT_WATCH.sustainMs).toBe(2 * 60_000);
    const [errors, latency] = rollbackTriggers({
      service: 'aia-api',
      namespace: 'aia',
      colour: 'blue',
    });
    expect(errors?.threshold).toBe(10);
    expect(latency?.threshold).toBe(5);
    expect(errors?.expr).toContain('service="aia-api"');
    expect(errors?.expr).toContain('pod=~"aia-api-blue-.+"');
    expect(errors?.expr).toContain('status=~"5.."');
    expect(latency?.expr).toMatch(/^histogram_quantile\(0\.95, /);
  });

  it('reads Prometheus durations and names a value that is not one', () => {
    expect(promDurationMs('2m')).toBe(120_000);
    expect(promDurationMs('1h30m')).toBe(5_400_000);
    expect(() => promDurationMs('2 minutes')).toThrow('"2 minutes" is not a Prometheus duration');
  });
});
