import type { CpuShare } from './cpu-usage.js';
import type { BatchFigures, ConcurrencyFigures } from './figures.js';
import { round } from './percentiles.js';

/** The goals the ledger is measured against. */
export const TARGETS = {
  /** Ledger transfers/s over pgbench TPS at the same concurrency, at least. */
  minRatio: 0.7,
  /** p99 of single transfers at 16 clients, below (ms). */
  maxP99MsAt16Clients: 50,
  /** Transfers/s through the batch endpoint, at least. */
  minBatchPerSecond: 20_000,
} as const;

/** How the run was set up; all of it goes into the JSON so figures can be compared. */
export interface BenchSettings {
  readonly postgresVersion: string;
  /** `fsync`, `synchronous_commit`, `shared_buffers`… as the server reported them. */
  readonly postgresSettings: Readonly<Record<string, string>>;
  readonly pgbenchScale: number;
  readonly pgbenchThreads: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly clients: readonly number[];
  readonly rounds: number;
  readonly accounts: number;
  readonly transferAmount: string;
  readonly databasePoolMax: number;
  /** Service processes the clients are spread over (BENCH_REPLICAS). */
  readonly replicas: number;
  readonly cpus: number;
  readonly node: string;
}

/** Everything `bench/results/ledger.json` holds. */
export interface LedgerBenchResult {
  readonly benchmark: 'ledger';
  readonly measuredAt: string;
  readonly settings: BenchSettings;
  readonly targets: typeof TARGETS;
  readonly concurrency: readonly ConcurrencyFigures[];
  readonly batch: BatchFigures;
  readonly met: Readonly<Record<string, boolean>>;
}

/** Which targets the figures meet, by a name the table and the JSON share. */
export function targetsMet(
  concurrency: readonly ConcurrencyFigures[],
  batch: BatchFigures,
): Record<string, boolean> {
  const met: Record<string, boolean> = {};
  for (const figures of concurrency) {
    met[`ratio@${figures.clients}`] = figures.ratio >= TARGETS.minRatio;
    if (figures.clients === 16) met.p99At16 = figures.ledger.p99Ms < TARGETS.maxP99MsAt16Clients;
  }
  met.batch = batch.perSecond >= TARGETS.minBatchPerSecond;
  return met;
}

const verdict = (ok: boolean | undefined) => (ok ? 'met' : 'NOT met');
const fixed = (value: number, digits = 0) =>
  Number.isFinite(value) ? round(value, digits).toLocaleString('en-US') : 'n/a';

/** The human-readable summary printed at the end of the run. */
export function formatReport(result: LedgerBenchResult): string {
  const s = result.settings;
  const lines = [
    '',
    `PostgreSQL ${s.postgresVersion} (${Object.entries(s.postgresSettings)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}), ${s.cpus} CPUs, Node ${s.node}`,
    `pgbench -s ${s.pgbenchScale} -j ${s.pgbenchThreads} TPC-B-like vs POST /v1/transfers (${s.replicas} service process${s.replicas === 1 ? '' : 'es'}) between ${s.accounts} accounts; ${s.seconds} s per run (ledger after ${s.warmupSeconds} s warm-up), median of ${s.rounds} round(s)`,
    '',
  ];
  const header = [
    'clients',
    'pgbench tps',
    'pgbench p50/p99 ms',
    'ledger transfers/s',
    'ledger p50/p99 ms',
    'errors',
    'ratio',
  ];
  const rows = result.concurrency.map((c) => [
    String(c.clients),
    fixed(c.pgbench.tps),
    `${fixed(c.pgbench.p50Ms, 1)} / ${fixed(c.pgbench.p99Ms, 1)}`,
    fixed(c.ledger.perSecond),
    `${fixed(c.ledger.p50Ms, 1)} / ${fixed(c.ledger.p99Ms, 1)}`,
    String(c.ledger.errors),
    fixed(c.ratio, 2),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((r) => r[i]?.length ?? 0)),
  );
  const format = (cells: readonly string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  lines.push(format(header), ...rows.map(format), '');

  for (const c of result.concurrency) {
    lines.push(
      `ratio at ${c.clients} clients: ${fixed(c.ratio, 2)} (target ≥ ${TARGETS.minRatio}) — ${verdict(result.met[`ratio@${c.clients}`])}`,
    );
    if (c.clients === 16) {
      lines.push(
        `p99 at 16 clients: ${fixed(c.ledger.p99Ms, 1)} ms (target < ${TARGETS.maxP99MsAt16Clients} ms) — ${verdict(result.met.p99At16)}`,
      );
    }
    if (c.ledger.firstError)
      lines.push(`  first error at ${c.clients} clients: ${c.ledger.firstError}`);
  }
  const b = result.batch;
  lines.push(
    `batch: ${fixed(b.perSecond)} transfers/s in ${b.batches} batches of ${b.batchSize}, median batch ${fixed(b.medianBatchMs, 1)} ms (target ≥ ${TARGETS.minBatchPerSecond.toLocaleString('en-US')}/s) — ${verdict(result.met.batch)}`,
  );
  if (b.failed > 0) lines.push(`  ${b.failed} batch items failed; first: ${b.firstFailure ?? '?'}`);

  const cpuLines = [
    ...result.concurrency.flatMap((c) => [
      cpuLine(`pgbench, ${c.clients} clients`, 'pgbench', c.pgbench.cpuCores),
      cpuLine(`ledger, ${c.clients} clients`, 'load generator', c.ledger.cpuCores),
    ]),
    cpuLine('batches', 'client', b.cpuCores),
  ].filter((line) => line !== undefined);
  if (cpuLines.length > 0) {
    lines.push('', `CPU used, in cores of ${s.cpus} ("other" is whatever else ran meanwhile):`);
    lines.push(...cpuLines);
  }
  lines.push('');
  return lines.join('\n');
}

function cpuLine(run: string, clientName: string, cpu: CpuShare | undefined): string | undefined {
  if (!cpu) return undefined;
  const parts = [`postgres ${cpu.postgres}`];
  if (cpu.service !== undefined) parts.push(`service ${cpu.service}`);
  parts.push(`${clientName} ${cpu.client}`, `other ${cpu.other}`, `machine ${cpu.machine}`);
  return `  ${run.padEnd(20)} ${parts.join(', ')}`;
}
