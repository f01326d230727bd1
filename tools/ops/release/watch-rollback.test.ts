import { describe, expect, it } from 'vitest';
import type { PageEvent } from '../pagerduty-events.js';
import type { InstantQuery } from '../prometheus-query.js';
import { guardRelease } from '../rollback/decide.js';
import { lastRollback } from './last-rollback.js';
import { imageOf } from './release-config.js';
import { rollbackOfImage } from './rolled-back-image.js';
import { fakeReleaseStack } from './testing/fake-release-stack.js';
import { D, recordedUpdate, switchedToFour } from './testing/stack-histories.js';
import { rollBackWatchedRelease } from './watch-rollback.js';

/** Prometheus as a script: aia-api green at 40 % errors from the first check. */
const breaching: InstantQuery = async (expr) =>
  expr.startsWith('histogram_quantile')
    ? [{ labels: {}, value: 0.2 }]
    : [{ labels: {}, value: 40 }];

/** `ops watch` after the switch to green, on `stack`, its breach rolled back as the command does. */
async function watchBreach(stack: ReturnType<typeof fakeReleaseStack>) {
  const pages: PageEvent[] = [];
  const decision = await guardRelease({
    stack: 'production',
    previousColour: 'blue',
    watch: {
      service: 'aia-api',
      namespace: 'aia',
      colour: 'green',
      query: breaching,
      settings: { intervalMs: 0, sustainMs: 0, durationMs: 20 },
    },
    switchTo: (to, reason) =>
      rollBackWatchedRelease(stack, { colour: 'green', previousColour: to as 'blue', reason }),
    page: async (event) => {
      pages.push(event);
    },
    record: async () => {},
  });
  return { decision, pages };
}

describe("ops watch's rollback on a breach, on a recorded history", () => {
  it('sends aia-api back to blue and the rolling services back to the image before, in one update', async () => {
    // D4 deployed (the rolling services took it) and switched to green: blue still runs D3.
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.four,
        services: { activeColor: 'green', colorImageTags: { blue: D.three, green: D.four } },
      },
      { history: [...switchedToFour].reverse() },
    );
    const { decision, pages } = await watchBreach(stack);
    expect(decision.outcome).toBe('rolled-back');
    // A switch back alone left imageTag on D4: the five rolling services on the breaching image.
    expect(await stack.config()).toMatchObject({ imageTag: D.three, activeColor: 'blue' });
    expect(stack.messages).toHaveLength(1);
    expect(stack.messages[0]).toMatch(
      new RegExp(
        `^rollback to ${D.three} from ${D.four}: automatic rollback: RollbackErrorRateExceeded: 40 above 10 percent`,
      ),
    );
    expect(decision.reason).toContain(
      '; every service rolled back to sha256:333333333333 (aia-api on blue, sha256:333333333333)',
    );
    expect(pages).toEqual([
      expect.objectContaining({
        severity: 'critical',
        summary: expect.stringContaining('every service rolled back'),
      }),
    ]);
    // The history records it as a rollback of D4 everywhere: switch and canary refuse green now.
    const history = await stack.history();
    expect(rollbackOfImage(history, D.four)).toMatchObject({ version: 8 });
    expect(lastRollback(history)).toMatchObject({ version: 8 });
  });

  it('with no earlier image in the history switches aia-api back alone and records and pages the rollback as PARTIAL', async () => {
    // Never released by ops before: the history starts with D2's deploy and switch.
    const history = [
      recordedUpdate(
        1,
        { imageTag: D.two, colorImageTags: { blue: D.one, green: D.two } },
        `deploy ${D.two}`,
      ),
      recordedUpdate(
        2,
        { imageTag: D.two, activeColor: 'green', colorImageTags: { blue: D.one, green: D.two } },
        'switch to green',
      ),
    ];
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.two,
        services: { activeColor: 'green', colorImageTags: { blue: D.one, green: D.two } },
      },
      { history },
    );
    const { decision, pages } = await watchBreach(stack);
    const after = await stack.config();
    expect(after).toMatchObject({ imageTag: D.two, activeColor: 'blue' });
    expect(imageOf(after, 'blue')).toBe(D.one);
    expect(stack.messages).toEqual([
      expect.stringMatching(/^automatic rollback: RollbackErrorRateExceeded: 40 above 10 percent/),
    ]);
    expect(decision.reason).toContain(
      '; PARTIAL rollback: aia-api switched back to blue (sha256:111111111111), but the rolling services still run sha256:222222222222',
    );
    expect(decision.reason).toContain(
      'npm run ops -- rollback --stack production --to-previous-digest',
    );
    expect(pages.map((page) => [page.severity, page.summary.includes('PARTIAL')])).toEqual([
      ['critical', true],
    ]);
  });

  it('switches aia-api back alone when the rolling services do not run the released image', async () => {
    // Green runs D2, the rolling services D1: nothing of theirs belongs to the release.
    const stack = fakeReleaseStack(
      'production',
      {
        imageTag: D.one,
        services: { activeColor: 'green', colorImageTags: { blue: D.one, green: D.two } },
      },
      {
        history: [
          recordedUpdate(
            1,
            {
              imageTag: D.one,
              activeColor: 'green',
              colorImageTags: { blue: D.one, green: D.two },
            },
            'switch to green',
          ),
        ],
      },
    );
    const { decision } = await watchBreach(stack);
    expect(await stack.config()).toMatchObject({ imageTag: D.one, activeColor: 'blue' });
    expect(decision.reason).toContain('nothing of theirs to roll back');
  });
});
