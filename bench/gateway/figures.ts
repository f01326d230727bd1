import type { CpuShare } from '../ledger/cpu-usage.js';
import { medianCpu } from '../ledger/figures.js';
import type { ClosedLoopResult } from '../ledger/load-generator.js';
import { median, percentile, round } from '../ledger/percentiles.js';

/** Latency percentiles of a set of requests (nearest rank, ms). */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

/** Percentiles of `latencies` (any order; the array is not changed). NaN figures when empty. */
export function latencySummary(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    p999Ms: round(percentile(sorted, 99.9), 3),
    maxMs: round(sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number), 3),
  };
}

/** One path's closed-loop run and the CPU each process used meanwhile. */
export interface PathRun {
  readonly result: ClosedLoopResult;
  readonly cpu: Readonly<Record<string, CpuShare | undefined>>;
}

/** One path over the rounds: medians, and each round's throughput. */
export interface PathFigures {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly perSecondPerRound: readonly number[];
  /** Median cores of each process measured (the machine, PostgreSQL, the load generator…). */
  readonly cpuCores: Readonly<Record<string, CpuShare>>;
  readonly firstError?: string;
}

/** Medians over the rounds of one path. */
export function pathFigures(runs: readonly PathRun[]): PathFigures {
  const results = runs.map((run) => run.result);
  const firstError = results.find((r) => r.firstError)?.firstError;
  const processes = [...new Set(runs.flatMap((run) => Object.keys(run.cpu)))];
  const cpuCores = Object.fromEntries(
    processes.flatMap((name) => {
      const share = medianCpu(runs.map((run) => run.cpu[name]));
      return share ? [[name, share] as const] : [];
    }),
  );
  return {
    perSecond: round(median(results.map((r) => r.perSecond)), 1),
    p50Ms: round(median(results.map((r) => r.p50Ms)), 3),
    p99Ms: round(median(results.map((r) => r.p99Ms)), 3),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    perSecondPerRound: results.map((r) => round(r.perSecond, 1)),
    cpuCores,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/**
 * What a layer costs: `path` (with the layer) against `reference` (without), round by round (the
 * runs of a round are seconds apart, so a machine that gets busier shifts both), then the median
 * of the rounds. A throughput ratio below 1 and a positive added latency are the layer's cost.
 */
export interface LayerCost {
  /** path p50 − reference p50, ms. */
  readonly addedP50Ms: number;
  readonly addedP99Ms: number;
  /** path requests/s ÷ reference requests/s. */
  readonly throughputRatio: number;
  readonly addedP50MsPerRound: readonly number[];
  readonly throughputRatioPerRound: readonly number[];
}

/** See {@link LayerCost}. Throws when the two were not measured in the same rounds. */
export function layerCost(
  path: readonly ClosedLoopResult[],
  reference: readonly ClosedLoopResult[],
): LayerCost {
  if (path.length !== reference.length || path.length === 0)
    throw new Error(
      `rounds: ${path.length} with the layer against ${reference.length} without; expected the same number, at least 1`,
    );
  const pairs = path.map((run, i) => [run, reference[i] as ClosedLoopResult] as const);
  const addedP50 = pairs.map(([a, b]) => a.p50Ms - b.p50Ms);
  const addedP99 = pairs.map(([a, b]) => a.p99Ms - b.p99Ms);
  const ratios = pairs.map(([a, b]) => a.perSecond / b.perSecond);
  return {
    addedP50Ms: round(median(addedP50), 3),
    addedP99Ms: round(median(addedP99), 3),
    throughputRatio: round(median(ratios), 3),
    addedP50MsPerRound: addedP50.map((ms) => round(ms, 3)),
    throughputRatioPerRound: ratios.map((ratio) => round(ratio, 3)),
  };
}

/**
 * Milliseconds of CPU a process spent per request served: on a machine shared with other work
 * the throughput says how much CPU a process got, this says what each request cost it.
 */
export function cpuMsPerRequest(cores: number | undefined, perSecond: number): number {
  if (cores === undefined || !(perSecond > 0)) return Number.NaN;
  return round((cores / perSecond) * 1000, 3);
}

/** One reading of a process during the hold (see `process-sampler.ts`). */
export interface ProcessSample {
  /** performance.now() of the reading. */
  readonly at: number;
  /** CPU seconds used so far. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** Open file descriptors: its sockets, mostly. */
  readonly openFiles: number;
}

/** A process over the hold: what it used on average and at its busiest. */
export interface ProcessUsage {
  /** CPU seconds per wall second from the first sample to the last. */
  readonly meanCores: number;
  /** The busiest interval between two consecutive samples. */
  readonly peakCores: number;
  readonly peakRssMiB: number;
  readonly lastRssMiB: number;
  readonly peakOpenFiles: number;
  readonly samples: number;
}

const MIB = 1024 * 1024;

/** Summarises samples taken in order; throws with fewer than two (no interval to divide by). */
export function processUsage(samples: readonly ProcessSample[]): ProcessUsage {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || samples.length < 2)
    throw new Error(`samples: ${samples.length}; at least 2 are needed for a CPU rate`);
  const cores = (from: ProcessSample, to: ProcessSample) =>
    (to.cpuSeconds - from.cpuSeconds) / ((to.at - from.at) / 1000);
  const intervals = samples.slice(1).map((sample, i) => cores(samples[i] as ProcessSample, sample));
  return {
    meanCores: round(cores(first, last), 2),
    peakCores: round(Math.max(...intervals), 2),
    peakRssMiB: round(Math.max(...samples.map((s) => s.rssBytes)) / MIB, 1),
    lastRssMiB: round(last.rssBytes / MIB, 1),
    peakOpenFiles: Math.max(...samples.map((s) => s.openFiles)),
    samples: samples.length,
  };
}
