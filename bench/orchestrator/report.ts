import type { CpuShare } from '../ledger/cpu-usage.js';
import type { PathFigures, Ratio } from './figures.js';

/** The ways a task travels: bare pg-boss, and the orchestrator with either wait. */
export const PATHS = {
  reference: 'pg-boss alone (RunQueue settings, no-op worker)',
  blocking: 'orchestrator: blocking SendMessage',
  polling: 'orchestrator: SendMessage + GetTask polling',
} as const;

export type PathName = keyof typeof PATHS;

/** One concurrency: every path's figures, and each orchestrator path against the reference. */
export interface ConcurrencyResult {
  readonly clients: number;
  readonly paths: Readonly<Record<PathName, PathFigures>>;
  readonly ratios: Readonly<Record<Exclude<PathName, 'reference'>, Ratio>>;
}

/** What the benchmark measured and how: written to bench/results/orchestrator.json. */
export interface OrchestratorBenchResult {
  readonly benchmark: 'orchestrator';
  readonly measuredAt: string;
  readonly settings: {
    readonly rounds: number;
    readonly seconds: number;
    readonly warmupSeconds: number;
    readonly clients: readonly number[];
    /** GetTask's interval in the polling path. */
    readonly getTaskPollMs: number;
    readonly databasePoolMax: number;
    /** The echo agent's `limits.concurrency`, and the reference jobs' group limit. */
    readonly agentConcurrency: number;
    readonly postgresVersion: string;
    readonly cpus: number;
    readonly node: string;
  };
  readonly concurrency: readonly ConcurrencyResult[];
}

const fixed = (value: number, digits = 1) => (Number.isNaN(value) ? '—' : value.toFixed(digits));
const pad = (text: string, width: number) => text.padStart(width);

const cpuNote = (cpu: CpuShare | undefined) =>
  cpu
    ? `postgres ${cpu.postgres}, orchestrator ${cpu.service ?? '–'}, bench ${cpu.client}, other ${cpu.other}`
    : 'not measured';

/** The result as tables for people: throughput and ratio, delays, where the time went, CPU. */
export function formatReport(result: OrchestratorBenchResult): string {
  const { settings } = result;
  const lines = [
    '',
    `Agent orchestrator against bare pg-boss on one PostgreSQL ${settings.postgresVersion}: an echo`,
    `tool agent (no-op), closed loops of ${settings.clients.join(' and ')} clients, ${settings.seconds} s after ${settings.warmupSeconds} s of warm-up,`,
    `medians of ${settings.rounds} round${settings.rounds === 1 ? '' : 's'} (Node ${settings.node}, ${settings.cpus} cores). GetTask every ${settings.getTaskPollMs} ms.`,
    '',
    'clients  path                                             tasks/s  ratio  latency p50/p99 ms  scheduling p50/p99 ms',
  ];
  for (const { clients, paths, ratios } of result.concurrency) {
    for (const name of Object.keys(PATHS) as PathName[]) {
      const figures = paths[name];
      const ratio = name === 'reference' ? '1' : fixed(ratios[name].ratio, 3);
      lines.push(
        `${pad(String(clients), 7)}  ${PATHS[name].padEnd(47)}  ${pad(fixed(figures.perSecond), 7)}  ${pad(ratio, 5)}  ${pad(`${fixed(figures.latencyP50Ms)} / ${fixed(figures.latencyP99Ms)}`, 18)}  ${pad(`${fixed(figures.schedulingP50Ms)} / ${fixed(figures.schedulingP99Ms)}`, 21)}`,
      );
    }
  }
  lines.push(
    '',
    'Where a task goes, median ms: client → job written, job queued (scheduling), worker → task',
    'completed, completed → client knows, and how long it held a worker slot (job started →',
    'completed). Then the queue, sampled every 50 ms: mean jobs waiting and running (of the',
    "workers' localConcurrency slots).",
    '',
    'clients  path                                             to queue   queued      run  noticed  worker slot  waiting  running',
  );
  for (const { clients, paths } of result.concurrency) {
    for (const name of Object.keys(PATHS) as PathName[]) {
      const { breakdown: b, queue } = paths[name];
      lines.push(
        `${pad(String(clients), 7)}  ${PATHS[name].padEnd(47)}  ${pad(fixed(b.toQueueMs, 2), 8)} ${pad(fixed(b.queuedMs, 2), 8)} ${pad(fixed(b.runMs, 2), 8)} ${pad(fixed(b.noticedMs, 2), 8)} ${pad(fixed(b.workerHoldMs, 2), 12)} ${pad(queue ? fixed(queue.meanQueued) : '—', 8)} ${pad(queue ? fixed(queue.meanRunning, 2) : '—', 8)}`,
      );
    }
  }
  lines.push('', 'CPU cores used (median of the rounds):');
  for (const { clients, paths, ratios } of result.concurrency) {
    for (const name of Object.keys(PATHS) as PathName[]) {
      const figures = paths[name];
      const perRound =
        name === 'reference' ? '' : `; ratio per round ${ratios[name].ratioPerRound.join(', ')}`;
      lines.push(
        `  ${clients} clients, ${name}: ${cpuNote(figures.cpu)}; tasks/s per round ${figures.perSecondPerRound.join(', ')}${perRound}; ${figures.errors} errors`,
      );
      if (figures.firstError) lines.push(`    first error: ${figures.firstError}`);
    }
  }
  const busiest = busiestOther(result);
  if (busiest > BUSY_MACHINE_CORES)
    lines.push(
      '',
      `Other processes used up to ${busiest} cores during the runs: the machine was shared, so compare`,
      'the paths of one run (the ratios) rather than these figures with another run.',
    );
  lines.push('');
  return lines.join('\n');
}

/** Cores other processes may use before the report says the figures are those of a busy machine. */
const BUSY_MACHINE_CORES = 0.25;

/** The most CPU that processes outside the benchmark used in any path's median. */
const busiestOther = (result: OrchestratorBenchResult): number =>
  Math.max(
    0,
    ...result.concurrency.flatMap(({ paths }) =>
      Object.values(paths).map((figures) => figures.cpu?.other ?? 0),
    ),
  );
