import type { CpuShare } from '../ledger/cpu-usage.js';
import { round } from '../ledger/percentiles.js';
import { cpuMsPerRequest, type LayerCost, type PathFigures, type ProcessUsage } from './figures.js';
import type { PacedClientsResult } from './paced-clients.js';
import type { HoldStreamsResult } from './stream-clients.js';

/** The three paths of the comparison, in the order of the table. */
export const PATHS = {
  gateway: 'through the gateway: GET /v1/ledger/accounts/{id}',
  governor: 'the governor directly: GET /v1/accounts/{id}',
  raw: 'raw node:http, the same body',
} as const;
export type PathName = keyof typeof PATHS;

/** The processes that serve each path's requests, whose CPU per request the table shows. */
const SERVERS: Readonly<Record<PathName, readonly string[]>> = {
  gateway: ['gateway', 'governor'],
  governor: ['governor'],
  raw: ['raw'],
};

/** The seed's latency target for the held connections, and its error-rate SLO. */
export const TARGETS = { maxP99Ms: 500, maxErrorRate: 0.02 } as const;

/** How the run was set up; all of it goes into the JSON. */
export interface GatewayBenchSettings {
  readonly rounds: number;
  readonly clients: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly accounts: number;
  readonly holdConnections: number;
  readonly holdIntervalMs: number;
  readonly holdSeconds: number;
  readonly holdRampSeconds: number;
  readonly openFilesLimit: number | null;
  readonly postgresVersion: string;
  readonly cpus: number;
  readonly node: string;
}

/** The 1,000 held connections. */
export interface HoldResult {
  readonly http: PacedClientsResult;
  /** The held WebSockets, or why there were none. */
  readonly stream: HoldStreamsResult | { readonly skipped: string };
  /** The gateway process over the hold (ramp included). */
  readonly gateway?: ProcessUsage;
  readonly met: { readonly p99: boolean; readonly errorRate: boolean };
}

/** Everything `bench/results/gateway.json` holds. */
export interface GatewayBenchResult {
  readonly benchmark: 'gateway';
  readonly measuredAt: string;
  readonly settings: GatewayBenchSettings;
  readonly targets: typeof TARGETS;
  readonly paths: Readonly<Record<PathName, PathFigures>>;
  /** The gateway against the governor directly. */
  readonly gatewayOverhead: LayerCost;
  /** The governor (the kit: Hono, JWT, rate limit, zod, a database read) against raw node:http. */
  readonly frameworkCost: LayerCost;
  readonly hold: HoldResult;
}

const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? round(value, digits).toLocaleString('en-US') : 'n/a';
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fixed(value, digits)}`;
/** A latency, or what an Infinity in the percentiles means (a request never sent). */
const latency = (ms: number) => (ms === Number.POSITIVE_INFINITY ? 'unsent' : `${fixed(ms, 1)} ms`);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const cores = (cpu: CpuShare | undefined, key: 'service' | 'postgres' | 'client' | 'machine') =>
  cpu?.[key] === undefined ? '-' : fixed(cpu[key] as number, 2);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [format(header), ...rows.map(format)];
}

const costLine = (name: string, cost: LayerCost) =>
  `${name}: ${signed(cost.addedP50Ms, 2)} ms at p50, ${signed(cost.addedP99Ms, 2)} ms at p99, throughput ratio ${fixed(cost.throughputRatio, 2)} (rounds ${cost.throughputRatioPerRound.map((r) => fixed(r, 2)).join(', ')})`;

/** The human-readable summary printed at the end of the run. */
export function formatReport(result: GatewayBenchResult): string {
  const s = result.settings;
  const lines = [
    '',
    `${s.cpus} CPUs, Node ${s.node}, PostgreSQL ${s.postgresVersion}; ${s.clients} closed-loop keep-alive clients, ${s.seconds} s per path after ${s.warmupSeconds} s warm-up, medians of ${s.rounds} round(s)`,
    '',
    ...table(
      [
        'path',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'cores: gateway',
        'governor',
        'raw',
        'postgres',
        'load gen',
        'machine',
      ],
      (Object.keys(PATHS) as PathName[]).map((name) => {
        const path = result.paths[name];
        return [
          PATHS[name],
          fixed(path.perSecond),
          fixed(path.p50Ms, 2),
          fixed(path.p99Ms, 2),
          String(path.errors),
          cores(path.cpuCores.gateway, 'service'),
          cores(path.cpuCores.governor, 'service'),
          cores(path.cpuCores.raw, 'service'),
          cores(path.cpuCores.gateway, 'postgres'),
          cores(path.cpuCores.gateway, 'client'),
          cores(path.cpuCores.gateway, 'machine'),
          SERVERS[name]
            .map((server) =>
              fixed(cpuMsPerRequest(path.cpuCores[server]?.service, path.perSecond), 2),
            )
            .join(' + '),
        ];
      }),
    ),
    '',
    costLine('gateway overhead (gateway vs governor)', result.gatewayOverhead),
    costLine('framework cost (governor vs raw node:http)', result.frameworkCost),
  ];
  for (const name of Object.keys(PATHS) as PathName[]) {
    const error = result.paths[name].firstError;
    if (error) lines.push(`  first error, ${name}: ${error}`);
  }

  const { http, stream, gateway, met } = result.hold;
  lines.push(
    '',
    `held: ${http.connections.toLocaleString('en-US')} keep-alive connections through the gateway, each a request every ${fixed(s.holdIntervalMs)} ms, ${s.holdSeconds} s after a ${s.holdRampSeconds} s ramp`,
    `  ${fixed(http.requests)} requests (${fixed(http.perSecond)}/s answered 2xx), ${fixed(http.unsent)} due but unsent at the end (client still waiting); latency from the time each was due: p50 ${latency(http.p50Ms)}, p99 ${latency(http.p99Ms)}, p99.9 ${latency(http.p999Ms)}, max ${latency(http.maxMs)}`,
    `  p99 ${latency(http.p99Ms)} (target < ${TARGETS.maxP99Ms} ms) — ${verdict(met.p99)}; errors ${http.errors} of ${fixed(http.requests)} (target < ${TARGETS.maxErrorRate * 100} %) — ${verdict(met.errorRate)}`,
    `  connections opened ${fixed(http.connectionsOpened)} (${fixed(http.connections)} held; more means reconnects), requests sent late ${fixed(http.late)}`,
  );
  if (http.firstError) lines.push(`  first error: ${http.firstError}`);
  if ('skipped' in stream) lines.push(`  WebSockets: none held — ${stream.skipped}`);
  else {
    lines.push(
      `  WebSockets: ${stream.opened} of ${stream.connections} opened (${stream.failed} failed), ${stream.subscribed} subscribed, ${stream.closedEarly} closed early; ${stream.events} events, ${stream.pings} pings, ${stream.errorMessages} error messages`,
      `    connect p50 / p99 ${fixed(stream.connect.p50Ms, 1)} / ${fixed(stream.connect.p99Ms, 1)} ms; subscribe p50 / p99 ${fixed(stream.subscribe.p50Ms, 1)} / ${fixed(stream.subscribe.p99Ms, 1)} ms`,
    );
    if (stream.firstError) lines.push(`    first error: ${stream.firstError}`);
  }
  if (gateway)
    lines.push(
      `  gateway process: CPU ${fixed(gateway.meanCores, 2)} cores on average, ${fixed(gateway.peakCores, 2)} in its busiest second; RSS ${fixed(gateway.peakRssMiB)} MiB at most, ${fixed(gateway.lastRssMiB)} MiB at the end; ${fixed(gateway.peakOpenFiles)} open files at most`,
    );
  lines.push('');
  return lines.join('\n');
}
