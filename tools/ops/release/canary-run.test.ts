import { describe, expect, it } from 'vitest';
import type { PageEvent } from '../pagerduty-events.js';
import type { InstantQuery } from '../prometheus-query.js';
import { type CanaryDecision, runCanary } from './canary-run.js';
import { fakeReleaseStack } from './testing/fake-release-stack.js';
import { D } from './testing/stack-histories.js';

/** Prometheus answering a low error rate and latency for every query. */
const healthy: InstantQuery = async () => [{ labels: {}, value: 0.1 }];
const silent: InstantQuery = async () => [];

/** A canary on an in-memory stack, Prometheus answering what `queryOf` (given the stack) says. */
function canaryOn(
  queryOf: (stack: ReturnType<typeof fakeReleaseStack>) => InstantQuery,
  failOn?: string,
  sustainMs = 1_000,
) {
  const base = fakeReleaseStack('staging', {
    imageTag: D.two,
    services: { activeColor: 'green', colorImageTags: { blue: D.two, green: D.one } },
  });
  const query = queryOf(base);
  const stack = {
    ...base,
    update: async (...args: Parameters<typeof base.update>) => {
      if (failOn && args[1].startsWith(failOn)) throw new Error('the engine refused the update');
      await base.update(...args);
    },
  };
  const pages: PageEvent[] = [];
  const records: CanaryDecision[] = [];
  const run = (steps: number[]) =>
    runCanary({
      stack,
      steps,
      stepMs: 10,
      watch: {
        service: 'aia-api',
        namespace: 'aia',
        query,
        settings: { intervalMs: 5, sustainMs },
      },
      page: async (event) => void pages.push(event),
      record: async (decision) => void records.push(decision),
    });
  return { base, pages, records, run };
}

describe('canary steps (stack and Prometheus faked)', () => {
  it('aborts back to 0 % when a step cannot be set, paging critical', async () => {
    const { base, pages, run } = canaryOn(() => healthy, 'canary 50 %');
    const decision = await run([10, 50, 100]);
    expect(decision).toMatchObject({
      outcome: 'aborted',
      colour: 'blue',
      previousColour: 'green',
      reason: 'setting 50 % failed: the engine refused the update',
      steps: [{ percent: 10, outcome: 'held' }],
    });
    expect(await base.config()).toMatchObject({ activeColor: 'green' });
    expect((await base.config()).canaryPercent).toBeUndefined();
    expect(pages.map((page) => page.severity)).toEqual(['critical']);
  });

  it('does not promote a step that saw no traffic: aborts and pages a warning', async () => {
    const { base, pages, records, run } = canaryOn(() => silent);
    const decision = await run([10, 100]);
    expect(decision).toMatchObject({
      outcome: 'aborted',
      reason: 'no request reached blue at 10 %: nothing to judge it by',
      steps: [{ percent: 10, outcome: 'no-traffic' }],
    });
    expect(base.messages.map((message) => message.split(' (')[0])).toEqual([
      'canary 10 % to blue',
      'canary 0 % to blue',
    ]);
    expect(records).toEqual([decision]);
    expect(pages.map((page) => page.severity)).toEqual(['warning']);
  });

  it('after the switch at 100 %, a breach switches the colour back', async () => {
    // The new colour fails one request in two once it is live (sustain 0: the first check counts).
    const failingOnceLive =
      (stack: ReturnType<typeof fakeReleaseStack>): InstantQuery =>
      async (expr) => {
        const live = (stack.state.services as { activeColor: string }).activeColor;
        const errorRate = expr.startsWith('100 *') && live === 'blue' ? 50 : 0.1;
        return [{ labels: {}, value: errorRate }];
      };
    const { base, pages, run } = canaryOn(failingOnceLive, undefined, 0);
    const decision = await run([10, 100]);
    expect(decision).toMatchObject({
      outcome: 'aborted',
      steps: [
        { percent: 10, outcome: 'held' },
        { percent: 100, outcome: 'breached' },
      ],
      breach: { alert: 'RollbackErrorRateExceeded', value: 50 },
    });
    expect(base.messages.map((message) => message.split(' ')[0])).toEqual([
      'canary',
      'switch',
      'rollback',
    ]);
    expect(await base.config()).toMatchObject({ activeColor: 'green' });
    expect(pages.map((page) => page.severity)).toEqual(['critical']);
  });
});
