import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../local-servers/prometheus-server.js';
import type { PageEvent } from '../pagerduty-events.js';
import { prometheusQuery } from '../prometheus-query.js';
import { clusterTarget } from '../rollback/testing/cluster-target.js';
import { type ScrapedApp, startScrapedApp } from '../rollback/testing/scraped-app.js';
import { type CanaryDecision, parseCanarySteps, runCanary } from './canary-run.js';
import { fakeReleaseStack } from './testing/fake-release-stack.js';
import { D } from './testing/stack-histories.js';

const NAMESPACE = 'services';
/** Short enough for a test, long enough for a few 1 s scrapes. */
const WINDOW = '10s';
const FAST = { intervalMs: 500, sustainMs: 2_000 };

/** Blue live on D1, green deployed with D2 and idle: where a canary starts. */
const deployedStack = () =>
  fakeReleaseStack('production', {
    imageTag: D.two,
    services: { activeColor: 'blue', colorImageTags: { blue: D.one, green: D.two } },
  });

/**
 * A real Prometheus server scraping the gateway's two colours every second, with traffic on both;
 * the stack operations are an in-memory stack (no Pulumi CLI), so what the canary sets is read back.
 */
describe('canary steps against a real Prometheus', () => {
  let dir: string;
  let prometheus: PrometheusServer;
  let apps: Record<'blue' | 'green', ScrapedApp>;
  let traffic: NodeJS.Timeout;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'canary-'));
    const [blue, green] = await Promise.all([startScrapedApp(), startScrapedApp()]);
    apps = { blue, green };
    // Labelled as in the cluster (see watch-prometheus.test.ts).
    prometheus = await startPrometheus({
      dir,
      honorLabels: true,
      targets: [
        clusterTarget(blue.address, { namespace: NAMESPACE, service: 'aia-api', colour: 'blue' }),
        clusterTarget(green.address, { namespace: NAMESPACE, service: 'aia-api', colour: 'green' }),
      ],
    });
    traffic = setInterval(() => {
      for (const app of Object.values(apps)) void app.hit().catch(() => {});
    }, 50);
    // Wait until the green colour's request rate is there to be judged.
    const query = prometheusQuery(prometheus.url);
    for (let tries = 0; tries < 40; tries++) {
      const rate = await query(`rate(http_requests_total{pod=~"aia-api-green-.+"}[${WINDOW}])`);
      if (rate.some((sample) => sample.value > 0)) break;
      await sleep(500);
    }
  }, 60_000);

  afterAll(async () => {
    clearInterval(traffic);
    await prometheus?.stop();
    await Promise.all(Object.values(apps ?? {}).map((app) => app.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const watch = () => ({
    service: 'aia-api' as const,
    namespace: NAMESPACE,
    window: WINDOW,
    query: prometheusQuery(prometheus.url),
    settings: FAST,
  });

  it('promotes a healthy colour step by step to 100 %, switching it live at the end', async () => {
    const stack = deployedStack();
    const pages: PageEvent[] = [];
    const records: CanaryDecision[] = [];
    const decision = await runCanary({
      stack,
      steps: parseCanarySteps('10,50,100'),
      stepMs: 2_500,
      watch: watch(),
      page: async (event) => void pages.push(event),
      record: async (decided) => void records.push(decided),
    });
    expect(decision).toMatchObject({
      outcome: 'promoted',
      colour: 'green',
      previousColour: 'blue',
      steps: [
        { percent: 10, outcome: 'held' },
        { percent: 50, outcome: 'held' },
        { percent: 100, outcome: 'held' },
      ],
    });
    expect(stack.messages.map((message) => message.split(' (')[0])).toEqual([
      'canary 10 % to green',
      'canary 50 % to green',
      'switch to green',
    ]);
    expect(await stack.config()).toMatchObject({ activeColor: 'green' });
    expect((await stack.config()).canaryPercent).toBeUndefined();
    expect(records).toEqual([decision]);
    expect(pages).toEqual([]);
  }, 60_000);

  it('aborts back to 0 % when the new colour breaks mid-canary, recording why and paging', async () => {
    const base = deployedStack();
    // The release goes bad once it takes 25 %: one request in four fails from then on.
    const stack = {
      ...base,
      update: async (...args: Parameters<typeof base.update>) => {
        await base.update(...args);
        if (args[1].startsWith('canary 25 %')) apps.green.behave({ failShare: 0.25 });
      },
    };
    const pages: PageEvent[] = [];
    const records: CanaryDecision[] = [];
    try {
      const decision = await runCanary({
        stack,
        steps: parseCanarySteps('10,25,50,100'),
        stepMs: 20_000,
        watch: watch(),
        page: async (event) => void pages.push(event),
        record: async (decided) => void records.push(decided),
      });
      expect(decision).toMatchObject({
        outcome: 'aborted',
        steps: [
          { percent: 10, outcome: 'held' },
          { percent: 25, outcome: 'breached' },
        ],
        breach: { alert: 'RollbackErrorRateExceeded', threshold: 10, unit: 'percent' },
      });
      expect(decision.reason).toMatch(
        /^RollbackErrorRateExceeded: .* above 10 percent .*, at 25 %$/,
      );
      // Back on blue alone: the canary key is gone, blue still live, green never switched to.
      const after = await stack.config();
      expect(after.activeColor).toBe('blue');
      expect(after.canaryPercent).toBeUndefined();
      expect(base.messages.at(-1)).toMatch(
        /^canary 0 % to green .*: canary aborted: RollbackErrorRateExceeded/,
      );
      expect(records).toEqual([decision]);
      expect(pages).toEqual([
        expect.objectContaining({
          severity: 'critical',
          dedupKey: 'release-canary/production/aia-api/green',
          summary: expect.stringContaining(
            'production/aia-api: canary of green aborted, traffic back on blue',
          ),
        }),
      ]);
    } finally {
      apps.green.behave({ failShare: 0 });
    }
  }, 60_000);

  it('refuses steps that do not rise to 100, naming the flag', () => {
    for (const bad of ['10,5,100', '10,50', '0,100', '10,x,100', '']) {
      expect(() => parseCanarySteps(bad)).toThrow(
        /^--steps: expected rising whole percentages ending at 100/,
      );
    }
  });
});
