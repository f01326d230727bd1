import { describe, expect, it } from 'vitest';
import type { PageEvent } from '../pagerduty-events.js';
import type { InstantQuery } from '../prometheus-query.js';
import { guardRelease, type ReleaseDecision } from './decide.js';

/** Prometheus as a script: the error-rate and p95 values each check sees, in order. */
function scripted(errorRates: (number | undefined)[], p95 = 0.2): InstantQuery {
  let check = 0;
  return async (expr) => {
    if (expr.startsWith('histogram_quantile')) return [{ labels: {}, value: p95 }];
    const value = errorRates[Math.min(check++, errorRates.length - 1)];
    return value === undefined ? [] : [{ labels: {}, value }];
  };
}

const failing: InstantQuery = async () => {
  throw new Error('connect ECONNREFUSED');
};

function guardWith(query: InstantQuery, switchTo = async (_colour: string, _reason: string) => {}) {
  const pages: PageEvent[] = [];
  const records: ReleaseDecision[] = [];
  const switches: [string, string][] = [];
  const run = () =>
    guardRelease({
      stack: 'production',
      previousColour: 'blue',
      watch: {
        service: 'aia-api',
        namespace: 'aia',
        colour: 'green',
        query,
        // Every check is a tick: no sleeping, the script decides.
        settings: { intervalMs: 0, sustainMs: 0, durationMs: 50 },
      },
      switchTo: async (colour, reason) => {
        switches.push([colour, reason]);
        await switchTo(colour, reason);
        return undefined;
      },
      page: async (event) => {
        pages.push(event);
      },
      record: async (decision) => {
        records.push(decision);
      },
    });
  return { run, pages, records, switches };
}

describe('guardRelease', () => {
  it('switches back on a breach, records why, and pages critical once per release', async () => {
    const guard = guardWith(scripted([2, 40]));
    const decision = await guard.run();
    expect(decision).toMatchObject({
      outcome: 'rolled-back',
      colour: 'green',
      previousColour: 'blue',
      breach: { alert: 'RollbackErrorRateExceeded', value: 40, threshold: 10 },
    });
    expect(guard.switches).toEqual([['blue', decision.reason]]);
    expect(decision.reason).toContain('RollbackErrorRateExceeded: 40 above 10 percent');
    expect(guard.records).toEqual([decision]);
    expect(guard.pages).toEqual([
      expect.objectContaining({
        severity: 'critical',
        dedupKey: 'release-watch/production/aia-api/green',
        summary: expect.stringContaining('green rolled back to blue'),
      }),
    ]);
  });

  it('records and pages a switch that failed, and fails itself', async () => {
    const guard = guardWith(scripted([40]), async () => {
      throw new Error('pulumi up: conflict: another update is in progress');
    });
    await expect(guard.run()).rejects.toThrow('another update is in progress');
    expect(guard.records).toEqual([
      expect.objectContaining({
        outcome: 'rollback-failed',
        reason: expect.stringContaining('switching back to blue failed'),
      }),
    ]);
    expect(guard.pages.map((page) => page.summary)).toEqual([expect.stringContaining('FAILED')]);
  });

  it('promotes a release whose triggers held, without paging', async () => {
    const guard = guardWith(scripted([1, 3, 9.9, undefined]));
    const decision = await guard.run();
    expect(decision.outcome).toBe('promoted');
    expect(guard.switches).toEqual([]);
    expect(guard.pages).toEqual([]);
    expect(guard.records).toEqual([decision]);
  });

  it('never promotes a release no check saw traffic of (a query matching no series looks the same): unverified, paged', async () => {
    const silent: InstantQuery = async () => [];
    const guard = guardWith(silent);
    const decision = await guard.run();
    expect(decision.outcome).toBe('unverified');
    expect(decision.reason).toContain('no traffic of aia-api green');
    expect(guard.switches).toEqual([]);
    expect(guard.pages.map((page) => page.severity)).toEqual(['warning']);
    expect(guard.records).toEqual([decision]);
  });

  it('switches nothing when Prometheus does not answer, but pages that the release is unverified', async () => {
    const guard = guardWith(failing);
    const decision = await guard.run();
    expect(decision.outcome).toBe('unverified');
    expect(decision.reason).toContain('Prometheus has not answered');
    expect(guard.switches).toEqual([]);
    expect(guard.pages).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});
