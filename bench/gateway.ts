import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { layerCost, type PathRun, pathFigures, processUsage } from './gateway/figures.js';
import { type GatewayStack, startGatewayStack } from './gateway/gateway-stack.js';
import { runPacedClients } from './gateway/paced-clients.js';
import { sampleProcessEvery } from './gateway/process-sampler.js';
import {
  formatReport,
  type GatewayBenchResult,
  type GatewayBenchSettings,
  type HoldResult,
  PATHS,
  type PathName,
  TARGETS,
} from './gateway/report.js';
import { assertDescriptors, openFilesLimit, wholeNumberSetting } from './gateway/settings.js';
import { holdStreams, probeStream } from './gateway/stream-clients.js';
import { cpuShare, cpuSnapshot } from './ledger/cpu-usage.js';
import type { HttpRequest } from './ledger/http-client.js';
import { runClosedLoop } from './ledger/load-generator.js';
import { round } from './ledger/percentiles.js';
import { Teardown } from './ledger/teardown.js';

const WARMUP_MS = 2000;
/** Accounts read at random: the reads spread over rows, as many users' would. */
const ACCOUNTS = 200;
/**
 * Each held connection sends a request every 4 s: 250 requests/s from 1,000 connections, users
 * rather than a flood, and within Node's keep-alive timeout (5 s, which the gateway's server
 * keeps), so that the connections stay open between requests.
 */
const HOLD_INTERVAL_MS = 4000;
/** Descriptors besides the held connections: PostgreSQL, Redis, upstream pools, files. */
const SPARE_DESCRIPTORS = 500;

const progress = (message: string): void => {
  process.stderr.write(`  ${message}\n`);
};

function settingsFromEnv(rounds: number): Omit<GatewayBenchSettings, 'postgresVersion'> {
  const env = process.env;
  const limit = openFilesLimit();
  return {
    rounds,
    clients: wholeNumberSetting(env, 'BENCH_CLIENTS', 64, { min: 1, max: 1024 }),
    seconds: wholeNumberSetting(env, 'BENCH_SECONDS', 5, { min: 1, max: 600 }),
    warmupSeconds: WARMUP_MS / 1000,
    accounts: ACCOUNTS,
    holdConnections: wholeNumberSetting(env, 'BENCH_HOLD_CONNECTIONS', 1000, {
      min: 1,
      max: 50_000,
    }),
    holdIntervalMs: wholeNumberSetting(env, 'BENCH_HOLD_INTERVAL_MS', HOLD_INTERVAL_MS, {
      min: 10,
      max: 600_000,
    }),
    holdSeconds: wholeNumberSetting(env, 'BENCH_HOLD_SECONDS', 60, { min: 1, max: 3600 }),
    holdRampSeconds: wholeNumberSetting(env, 'BENCH_HOLD_RAMP_SECONDS', 5, { min: 1, max: 600 }),
    openFilesLimit: limit === undefined || !Number.isFinite(limit) ? null : limit,
    cpus: availableParallelism(),
    node: process.version,
  };
}

/**
 * `npm run bench -- gateway [rounds]` (default 3): the gateway's cost on the ledger's account read
 * (GET /v1/ledger/accounts/{id} with a `ledger:read` token) against the same read on the governor
 * directly and against raw `node:http` answering the same body, in the same run; then
 * `BENCH_HOLD_CONNECTIONS` (1,000) keep-alive connections held through the gateway for
 * `BENCH_HOLD_SECONDS` (60), with as many WebSockets on `/v1/stream` when the gateway serves the
 * hub, p99 against the seed's 500 ms. Every server runs in a process of its own; the load
 * generator is this process. Writes `bench/results/gateway.json` (docs/benchmarks.md "Gateway").
 */
export async function benchGateway(rounds = 3): Promise<void> {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`rounds must be a whole number ≥ 1, not '${rounds}'`);
  const root = resolve(import.meta.dirname, '..');
  const settings = settingsFromEnv(rounds);
  // Twice: the HTTP clients and the WebSockets, each one descriptor here and one in the gateway.
  assertDescriptors(2 * settings.holdConnections, SPARE_DESCRIPTORS, openFilesLimit());
  const teardown = new Teardown();
  const removeHandlers = teardown.exitOnSignals();
  try {
    const stack = await startGatewayStack({
      root,
      accounts: ACCOUNTS,
      teardown,
      onProgress: progress,
    });
    const result = await withServiceOutput(stack, () => measure(stack, settings, teardown.signal));
    process.stdout.write(formatReport(result));
    await mkdir(join(root, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(root, 'bench', 'results', 'gateway.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  } finally {
    await teardown.run();
    removeHandlers();
  }
}

async function withServiceOutput<T>(stack: GatewayStack, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    for (const [name, service] of [
      ['aia-api', stack.gateway],
      ['economic-governor', stack.governor],
    ] as const) {
      const output = service.recentOutput();
      if (output) progress(`${name}'s last output:\n${output}`);
    }
    throw error;
  }
}

async function measure(
  stack: GatewayStack,
  settings: Omit<GatewayBenchSettings, 'postgresVersion'>,
  signal: AbortSignal,
): Promise<GatewayBenchResult> {
  const randomAccount = () =>
    stack.accountIds[Math.floor(Math.random() * stack.accountIds.length)] as string;
  const token = stack.readToken;
  const targets: Record<PathName, { origin: URL; next: () => HttpRequest }> = {
    gateway: {
      origin: stack.gateway.origin,
      next: () => ({ method: 'GET', path: `/v1/ledger/accounts/${randomAccount()}`, token }),
    },
    governor: {
      origin: stack.governor.origin,
      next: () => ({ method: 'GET', path: `/v1/accounts/${randomAccount()}`, token }),
    },
    // The same request: the token is sent, and ignored.
    raw: {
      origin: stack.raw.origin,
      next: () => ({ method: 'GET', path: `/v1/accounts/${randomAccount()}`, token }),
    },
  };
  const pids = {
    gateway: stack.gateway.pid,
    governor: stack.governor.pid,
    raw: stack.raw.pid,
  };
  const snapshot = () =>
    Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [
        name,
        cpuSnapshot(stack.postmasterPid, pid === undefined ? [] : [pid]),
      ]),
    );

  const names = Object.keys(PATHS) as PathName[];
  const runs: Record<PathName, PathRun[]> = { gateway: [], governor: [], raw: [] };
  for (let round = 1; round <= settings.rounds; round++) {
    // Each round starts with another path, so none is always measured first (or last).
    const order = names.map((_, i) => names[(i + round - 1) % names.length] as PathName);
    for (const name of order) {
      progress(
        `round ${round}: ${PATHS[name]}, ${settings.clients} clients, ${settings.seconds} s`,
      );
      let before = snapshot();
      const timer = setTimeout(() => {
        before = snapshot();
      }, WARMUP_MS);
      const result = await runClosedLoop({
        origins: [targets[name].origin],
        clients: settings.clients,
        warmupMs: WARMUP_MS,
        durationMs: settings.seconds * 1000,
        next: targets[name].next,
        signal,
      }).finally(() => clearTimeout(timer));
      const after = snapshot();
      const cpu = Object.fromEntries(
        Object.keys(pids).map((process) => [process, cpuShare(before[process], after[process])]),
      );
      progress(
        `  ${round1(result.perSecond)}/s, p50 ${round1(result.p50Ms)} ms, p99 ${round1(result.p99Ms)} ms, ${result.errors} errors`,
      );
      runs[name].push({ result, cpu });
    }
  }

  const hold = await holdConnections(stack, settings, signal, randomAccount);
  return {
    benchmark: 'gateway',
    measuredAt: new Date().toISOString(),
    settings: { ...settings, postgresVersion: stack.postgresVersion },
    targets: TARGETS,
    paths: {
      gateway: pathFigures(runs.gateway),
      governor: pathFigures(runs.governor),
      raw: pathFigures(runs.raw),
    },
    gatewayOverhead: layerCost(
      runs.gateway.map((run) => run.result),
      runs.governor.map((run) => run.result),
    ),
    frameworkCost: layerCost(
      runs.governor.map((run) => run.result),
      runs.raw.map((run) => run.result),
    ),
    hold,
  };
}

/**
 * The held connections: paced HTTP clients through the gateway and, at the same time, as many
 * WebSockets subscribed to an account's transfers, while the gateway's CPU, RSS and open files
 * are read every second.
 */
async function holdConnections(
  stack: GatewayStack,
  settings: Omit<GatewayBenchSettings, 'postgresVersion'>,
  signal: AbortSignal,
  randomAccount: () => string,
): Promise<HoldResult> {
  const origin = stack.gateway.origin;
  const token = stack.readToken;
  const availability = await probeStream(origin, token);
  const connections = settings.holdConnections;
  progress(
    `holding ${connections} keep-alive connections through the gateway (a request every ${settings.holdIntervalMs} ms each) for ${settings.holdSeconds} s after a ${settings.holdRampSeconds} s ramp${availability.available ? `, and ${connections} WebSockets on /v1/stream` : `; no WebSockets: ${availability.reason}`}`,
  );
  const sampler =
    stack.gateway.pid === undefined ? undefined : sampleProcessEvery(stack.gateway.pid, 1000);
  const window = {
    connections,
    rampMs: settings.holdRampSeconds * 1000,
    durationMs: settings.holdSeconds * 1000,
    signal,
  };
  const [http, stream] = await Promise.all([
    runPacedClients({
      ...window,
      origin,
      intervalMs: settings.holdIntervalMs,
      next: () => ({ method: 'GET', path: `/v1/ledger/accounts/${randomAccount()}`, token }),
    }),
    availability.available
      ? holdStreams({
          ...window,
          origin,
          token,
          subscription: (index) => ({
            topic: 'aia.ledger.transfers.v1',
            filter: { account_id: stack.accountIds[index % stack.accountIds.length] as string },
          }),
        })
      : { skipped: availability.reason },
  ]);
  const samples = sampler?.stop() ?? [];
  const errorRate = http.requests === 0 ? 1 : http.errors / http.requests;
  progress(
    `  ${round1(http.perSecond)}/s, p99 ${round1(http.p99Ms)} ms, ${http.errors} errors, ${http.unsent} unsent, ${http.connectionsOpened} connections opened`,
  );
  return {
    http,
    stream,
    ...(samples.length >= 2 ? { gateway: processUsage(samples) } : {}),
    met: { p99: http.p99Ms < TARGETS.maxP99Ms, errorRate: errorRate < TARGETS.maxErrorRate },
  };
}

const round1 = (value: number): string => String(round(value, 1));
