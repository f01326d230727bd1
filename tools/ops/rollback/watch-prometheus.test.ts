import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusServer, startPrometheus } from '../../local-servers/prometheus-server.js';
import { errorBudgetLeft } from '../health/error-budget.js';
import { prometheusQuery } from '../prometheus-query.js';
import { clusterTarget } from './testing/cluster-target.js';
import { type ScrapedApp, startScrapedApp } from './testing/scraped-app.js';
import { watchRelease } from './watch.js';

const NAMESPACE = 'services';
/** Short enough for a test, long enough for a few 1 s scrapes. */
const WINDOW = '10s';
const FAST = { intervalMs: 500, sustainMs: 2_000 };
const root = join(import.meta.dirname, '../../..');

/** `npm run ops -- watch ...` as a person runs it; resolves with the exit code and output. */
async function ops(args: string[]) {
  return promisify(execFile)(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'tools/ops.ts'), ...args],
    {
      cwd: root,
      env: { ...process.env, PAGERDUTY_ROUTING_KEY: '' },
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** A namespace of its own for the gateway that is mostly probed (not in the error budget's sums). */
const QUIET = 'quiet';
/** The quiet gateway's callers send one request per this many probe rounds (one a second). */
const QUIET_EVERY = 20;
/** A namespace whose governor was called at the start and never again, probed all along. */
const IDLE = 'idle';

/**
 * A real Prometheus server scraping four kit services every second: the gateway's two colours
 * (blue healthy, green failing one request in four), a governor answering in 6 s (the catalog's
 * rollback triggers: more than 10 % errors, p95 above 5 s), and in namespace `quiet` a gateway
 * whose few callers get an error every other request, and in namespace `idle` a governor called
 * a few times at the start, then never again. Every service is probed as the kubelet
 * and the load balancer probe it (`/healthz` and `/readyz`, here 20 times a second each) and
 * scraped; the traffic runs through the test.
 */
describe('the rollback watcher against a real Prometheus', () => {
  let dir: string;
  let prometheus: PrometheusServer;
  let apps: Record<'blue' | 'green' | 'slow' | 'quiet' | 'idle', ScrapedApp>;
  let traffic: NodeJS.Timeout;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rollback-watch-'));
    const [blue, green, slow, quiet, idle] = await Promise.all([
      startScrapedApp('aia-api'),
      startScrapedApp('aia-api'),
      startScrapedApp('economic-governor'),
      startScrapedApp('aia-api'),
      startScrapedApp('economic-governor'),
    ]);
    apps = { blue, green, slow, quiet, idle };
    for (let call = 0; call < 10; call++) await idle.hit();
    green.behave({ failShare: 0.25 });
    slow.behave({ failShare: 0, delayMs: 6_000 });
    quiet.behave({ failShare: 0.5 });
    // Labelled as in the cluster: the services' own `service` label kept (honorLabels), the
    // colour in the pod's name only.
    prometheus = await startPrometheus({
      dir,
      honorLabels: true,
      targets: [
        clusterTarget(blue.address, { namespace: NAMESPACE, service: 'aia-api', colour: 'blue' }),
        clusterTarget(green.address, { namespace: NAMESPACE, service: 'aia-api', colour: 'green' }),
        clusterTarget(slow.address, { namespace: NAMESPACE, service: 'economic-governor' }),
        clusterTarget(quiet.address, { namespace: QUIET, service: 'aia-api', colour: 'green' }),
        clusterTarget(idle.address, { namespace: IDLE, service: 'economic-governor' }),
      ],
    });
    let round = 0;
    traffic = setInterval(() => {
      round++;
      for (const app of Object.values(apps)) void app.probe().catch(() => {});
      for (const app of [blue, green, slow]) void app.hit().catch(() => {});
      if (round % QUIET_EVERY === 0) void quiet.hit().catch(() => {});
    }, 50);
  }, 60_000);

  afterAll(async () => {
    clearInterval(traffic);
    await prometheus?.stop();
    await Promise.all(Object.values(apps ?? {}).map((app) => app.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const query = () => prometheusQuery(prometheus.url);

  it('rolls back the colour whose error rate stays above the trigger, naming the trigger', async () => {
    const result = await watchRelease({
      service: 'aia-api',
      namespace: NAMESPACE,
      colour: 'green',
      window: WINDOW,
      query: query(),
      settings: { ...FAST, durationMs: 40_000 },
    });
    expect(result.outcome).toBe('breached');
    if (result.outcome !== 'breached') return;
    expect(result.breach).toMatchObject({
      alert: 'RollbackErrorRateExceeded',
      source: 'rollback.errorRatePercent',
      threshold: 10,
      unit: 'percent',
    });
    // One request in four fails; the other colour's traffic does not dilute it.
    expect(result.breach.value).toBeGreaterThan(15);
    expect(result.breach.value).toBeLessThan(35);
    expect(Date.parse(result.breach.at) - Date.parse(result.breach.since)).toBeGreaterThanOrEqual(
      FAST.sustainMs,
    );
  }, 60_000);

  it('holds the healthy colour for the whole window, having judged real traffic', async () => {
    const result = await watchRelease({
      service: 'aia-api',
      namespace: NAMESPACE,
      colour: 'blue',
      window: WINDOW,
      query: query(),
      settings: { ...FAST, durationMs: 4_000 },
    });
    expect(result).toMatchObject({ outcome: 'held' });
    expect(result.outcome === 'held' && result.judged).toBeGreaterThan(0);
  }, 30_000);

  it("judges the callers' requests alone: a few failing among many probes and scrapes breach", async () => {
    // Forty probes and a scrape a second, all fast 200s, around one request a second of which
    // every other fails: counted together, the error rate would read about 1 %.
    const result = await watchRelease({
      service: 'aia-api',
      namespace: QUIET,
      colour: 'green',
      window: WINDOW,
      query: query(),
      settings: { ...FAST, durationMs: 40_000 },
    });
    expect(result).toMatchObject({
      outcome: 'breached',
      breach: { alert: 'RollbackErrorRateExceeded', threshold: 10, unit: 'percent' },
    });
    if (result.outcome !== 'breached') return;
    expect(result.breach.value).toBeGreaterThan(30);
    expect(result.breach.value).toBeLessThan(70);
  }, 60_000);

  it('judges nothing where the requests counted once are older than the window, probes aside', async () => {
    // The counters are there (the governor was called at the start); wait until the window
    // holds none of those calls, only the probes and scrapes that keep coming.
    // Counted with them, the probes would keep this rate above zero for good.
    const rateNow = `sum(rate(http_requests_total{namespace="${IDLE}"}[${WINDOW}]))`;
    let counted = await query()(rateNow);
    for (let tries = 0; tries < 60 && counted[0]?.value !== 0; tries++) {
      await sleep(500);
      counted = await query()(rateNow);
    }
    expect(counted.map((sample) => sample.value)).toEqual([0]);
    const result = await watchRelease({
      service: 'economic-governor',
      namespace: IDLE,
      window: WINDOW,
      query: query(),
      settings: { ...FAST, durationMs: 2_000 },
    });
    expect(result).toMatchObject({ outcome: 'held', judged: 0 });
    expect(result.outcome === 'held' && result.checks).toBeGreaterThan(0);
  }, 60_000);

  it('rolls back on p95 latency above 5 s', async () => {
    const result = await watchRelease({
      service: 'economic-governor',
      namespace: NAMESPACE,
      window: WINDOW,
      query: query(),
      settings: { ...FAST, durationMs: 40_000 },
    });
    expect(result).toMatchObject({
      outcome: 'breached',
      breach: { alert: 'RollbackLatencyExceeded', threshold: 5, unit: 'seconds' },
    });
  }, 60_000);

  it('`npm run ops -- watch --dry-run` decides the rollback, records it and exits 1, switching nothing', async () => {
    const record = join(dir, 'decisions.jsonl');
    const { code, stdout, stderr } = await ops([
      'watch',
      ...['--stack', 'production', '--colour', 'green', '--previous', 'blue'],
      ...['--prometheus-url', prometheus.url, '--namespace', NAMESPACE],
      ...['--duration', '30s', '--sustain', '1s', '--record', record, '--dry-run'],
    ]);
    expect(code).toBe(1);
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({
      stack: 'production',
      service: 'aia-api',
      outcome: 'rolled-back',
      breach: { alert: 'RollbackErrorRateExceeded' },
    });
    expect(stderr).toContain(
      'dry run: would roll the release back to blue: RollbackErrorRateExceeded',
    );
    expect(stderr).toContain('dry run: would page: production/aia-api: green rolled back to blue');
    expect(JSON.parse(await readFile(record, 'utf8'))).toEqual(decision);
  }, 60_000);

  it('refuses bad arguments naming the flag, before watching anything', async () => {
    const staged = await ops(['watch', '--stack', 'qa', '--dry-run']);
    expect(staged.code).toBe(64);
    expect(staged.stderr).toContain('--stack: expected one of staging, production, got "qa"');
    const colour = await ops(['watch', '--stack', 'staging', '--colour', 'red', '--dry-run']);
    expect(colour.stderr).toContain('--colour: expected blue or green, got "red"');
    const unpaged = await ops([
      'watch',
      '--stack',
      'staging',
      '--colour',
      'green',
      '--prometheus-url',
      prometheus.url,
      '--namespace',
      NAMESPACE,
    ]);
    expect(unpaged.code).toBe(64);
    expect(unpaged.stderr).toContain('PAGERDUTY_ROUTING_KEY is not set');
  }, 60_000);

  it('`ops health` reads the error budget left from the 30-day 5xx share over every colour', async () => {
    // The governor answers slowly but never fails: its budget is whole. The gateway's colours
    // together fail one request in eight, far beyond a 99.9 % objective's 0.1 %.
    expect(await errorBudgetLeft(query(), 'economic-governor', NAMESPACE)).toBe(1);
    const gateway = await errorBudgetLeft(query(), 'aia-api', NAMESPACE);
    expect(gateway).toBeLessThan(-50);
    expect(await errorBudgetLeft(query(), 'dkg-manager', NAMESPACE)).toBeUndefined();
  });

  it('says it is blind, and decides nothing, when Prometheus does not answer', async () => {
    const result = await watchRelease({
      service: 'aia-api',
      namespace: NAMESPACE,
      colour: 'green',
      query: prometheusQuery('http://127.0.0.1:1'),
      settings: { intervalMs: 100, sustainMs: 300, durationMs: 10_000 },
    });
    expect(result).toMatchObject({ outcome: 'blind' });
  });
});
