import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '../../../services/catalog.js';
import { type PrometheusServer, startPrometheus } from '../../local-servers/prometheus-server.js';
import { type DeployWatchIo, deployCommand, rollingServices } from '../commands/deploy.js';
import type { PageEvent } from '../pagerduty-events.js';
import { prometheusQuery } from '../prometheus-query.js';
import type { CommandIo } from '../release/open-release-stack.js';
import { fakeReleaseStack } from '../release/testing/fake-release-stack.js';
import { D, threeReleases } from '../release/testing/stack-histories.js';
import type { RollingDecision } from './rolling-guard.js';
import { clusterTarget } from './testing/cluster-target.js';
import { type ScrapedApp, startScrapedApp } from './testing/scraped-app.js';

/**
 * Three namespaces of the five rolling services: in `broken` the governor fails one request in
 * four; in `probed` nobody calls them, only probes and scrapes arrive (a staging deploy watched
 * before any smoke or load traffic).
 */
const BROKEN = 'broken';
const HEALTHY = 'healthy';
const PROBED = 'probed';

/**
 * `ops deploy` on an in-memory stack whose history is three releases (D3 live), watching the
 * rolling services on a real Prometheus; `namespace` picks the copy of the services it sees.
 */
async function deployWatched(prometheusUrl: string, namespace: string, argv: string[] = []) {
  const stack = fakeReleaseStack(
    'production',
    {
      imageTag: D.three,
      services: { activeColor: 'blue', colorImageTags: { blue: D.three, green: D.two } },
    },
    {
      history: [...threeReleases].reverse(),
      outputs: { namespaces: { services: namespace }, observability: { prometheusUrl } },
    },
  );
  let printed = '';
  const io: CommandIo = {
    open: async () => stack,
    out: (text) => {
      printed += text;
    },
  };
  const pages: PageEvent[] = [];
  const watchIo: DeployWatchIo = {
    pager: () => async (event) => {
      pages.push(event);
    },
    query: prometheusQuery,
    log: () => {},
    settings: { intervalMs: 500 },
  };
  const code = await deployCommand(
    ['--stack', 'production', '--digest', D.four, '--sustain', '2s', ...argv],
    io,
    watchIo,
  );
  const decision = JSON.parse(printed.slice(0, printed.lastIndexOf('}') + 1)) as RollingDecision;
  return { code, stack, pages, decision, printed };
}

/**
 * A real Prometheus server scraping the five rolling services three times over (kit services,
 * labelled as the cluster labels them: the services' own `service` label kept, `pod` named after
 * the Deployment), each probed on `/healthz` and `/readyz` as the kubelet probes it, with traffic
 * driven by the test in two of the namespaces.
 */
describe('the deploy watch of the rolling services against a real Prometheus', () => {
  let dir: string;
  let prometheus: PrometheusServer;
  let apps: ScrapedApp[];
  let traffic: NodeJS.Timeout;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rolling-watch-'));
    const copies = await Promise.all(
      [BROKEN, HEALTHY, PROBED].flatMap((namespace) =>
        rollingServices().map(async (service: ServiceName) => ({
          namespace,
          service,
          app: await startScrapedApp(service),
        })),
      ),
    );
    apps = copies.map(({ app }) => app);
    for (const { namespace, service, app } of copies) {
      if (namespace === BROKEN && service === 'economic-governor') app.behave({ failShare: 0.25 });
    }
    prometheus = await startPrometheus({
      dir,
      honorLabels: true,
      targets: copies.map(({ namespace, service, app }) =>
        clusterTarget(app.address, { namespace, service }),
      ),
    });
    const called = copies.filter(({ namespace }) => namespace !== PROBED).map(({ app }) => app);
    traffic = setInterval(() => {
      for (const app of apps) void app.probe().catch(() => {});
      for (const app of called) void app.hit().catch(() => {});
    }, 50);
    // Wait until the failing governor's 5xx rate is there to be judged.
    const query = prometheusQuery(prometheus.url);
    for (let tries = 0; tries < 60; tries++) {
      const rate = await query(
        `rate(http_requests_total{namespace="${BROKEN}",service="economic-governor",status="500"}[10s])`,
      );
      if (rate.some((sample) => sample.value > 0)) break;
      await sleep(500);
    }
  }, 90_000);

  afterAll(async () => {
    clearInterval(traffic);
    await prometheus?.stop();
    await Promise.all((apps ?? []).map((app) => app.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('redeploys the image before it from the stack history when a rolling service breaches, records why, pages and exits 1', async () => {
    const record = join(dir, 'deploy-decisions.jsonl');
    const { code, stack, pages, decision, printed } = await deployWatched(prometheus.url, BROKEN, [
      ...['--duration', '60s', '--record', record],
    ]);
    expect(code).toBe(1);
    expect(decision).toMatchObject({
      stack: 'production',
      image: D.four,
      outcome: 'rolled-back',
      breach: {
        service: 'economic-governor',
        alert: 'RollbackErrorRateExceeded',
        threshold: 10,
        unit: 'percent',
      },
    });
    // One request in four fails.
    expect(decision.breach?.value).toBeGreaterThan(15);
    expect(decision.breach?.value).toBeLessThan(35);
    // The deploy, then the rollback to the image before (D3, from the history), saying why.
    expect(stack.messages).toHaveLength(2);
    expect(stack.messages[0]).toMatch(/^deploy /);
    expect(stack.messages[1]).toMatch(
      new RegExp(
        `^rollback to ${D.three} from ${D.four}: automatic rollback: economic-governor: RollbackErrorRateExceeded`,
      ),
    );
    expect(await stack.config()).toMatchObject({ imageTag: D.three, activeColor: 'blue' });
    expect(pages).toEqual([
      expect.objectContaining({
        severity: 'critical',
        component: 'economic-governor',
        dedupKey: `release-watch/production/rolling/${D.four}`,
      }),
    ]);
    expect(JSON.parse(await readFile(record, 'utf8'))).toEqual(decision);
    expect(printed).toContain('Do not switch');
  }, 90_000);

  it('promotes the image when every rolling service held for the window, having seen traffic of each, without paging', async () => {
    const { code, stack, pages, decision, printed } = await deployWatched(prometheus.url, HEALTHY, [
      '--duration',
      '4s',
    ]);
    expect(decision.outcome).toBe('promoted');
    expect(code).toBe(0);
    expect(decision.services.map((result) => [result.service, result.outcome])).toEqual(
      rollingServices().map((service) => [service, 'held']),
    );
    for (const result of decision.services) {
      expect(result.outcome === 'held' && result.judged, result.service).toBeGreaterThan(0);
    }
    expect(stack.messages).toHaveLength(1);
    expect(pages).toEqual([]);
    expect(printed).toContain('then make it live: npm run ops -- switch --stack production');
  }, 60_000);

  it('leaves the image unverified (exit 2, paged warning) when the services answer only probes and scrapes', async () => {
    // Prometheus has scraped every probed pod (their process series are there), and each answered
    // many probes: none of that is traffic the rollback triggers can judge.
    const query = prometheusQuery(prometheus.url);
    const scraped = await query(`process_start_time_seconds{namespace="${PROBED}"}`);
    expect(scraped.map((sample) => sample.labels.service).sort()).toEqual(
      [...rollingServices()].sort(),
    );
    const { code, stack, pages, decision } = await deployWatched(prometheus.url, PROBED, [
      '--duration',
      '2s',
    ]);
    expect(decision.outcome).toBe('unverified');
    expect(code).toBe(2);
    expect(decision.reason).toContain(
      `no traffic of ${rollingServices().join(', ')} was seen: the rollback triggers could not be judged`,
    );
    expect(stack.messages).toHaveLength(1);
    expect(pages.map((page) => page.severity)).toEqual(['warning']);
  }, 60_000);

  it('leaves the image unverified (exit 2, paged warning) when no series of the services matches, rolling nothing back', async () => {
    const { code, stack, pages, decision } = await deployWatched(prometheus.url, 'elsewhere', [
      '--duration',
      '2s',
    ]);
    expect(code).toBe(2);
    expect(decision.outcome).toBe('unverified');
    expect(decision.reason).toContain('no traffic of economic-governor');
    expect(stack.messages).toHaveLength(1);
    expect(pages.map((page) => page.severity)).toEqual(['warning']);
  }, 60_000);
});
