import type { BatchLoadResult } from './batch-load.js';
import type { CpuShare } from './cpu-usage.js';
import type { ClosedLoopResult } from './load-generator.js';
import { median, round } from './percentiles.js';
import type { PgbenchResult } from './pgbench.js';

/** One measured run and the CPU it used. */
export interface Measured<T> {
  readonly result: T;
  readonly cpu: CpuShare | undefined;
}

/** The runs of every round at one concurrency. */
export interface ConcurrencyRounds {
  readonly pgbench: Measured<PgbenchResult>[];
  readonly ledger: Measured<ClosedLoopResult>[];
}

/** pgbench and the ledger side by side at one concurrency (medians over the rounds). */
export interface ConcurrencyFigures {
  readonly clients: number;
  readonly pgbench: {
    readonly tps: number;
    readonly latencyAverageMs: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly tpsPerRound: readonly number[];
    readonly cpuCores?: CpuShare;
  };
  readonly ledger: {
    readonly perSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly errors: number;
    readonly perSecondPerRound: readonly number[];
    readonly cpuCores?: CpuShare;
    readonly firstError?: string;
  };
  /**
   * Median over the rounds of ledger transfers/s ÷ pgbench TPS of the same round: the two runs of
   * a round are minutes apart at most, so a machine that gets busier or quieter during the
   * benchmark shifts both and cancels out of the ratio.
   */
  readonly ratio: number;
  readonly ratioPerRound: readonly number[];
}

/** The batch endpoint's figures (medians over the rounds). */
export interface BatchFigures {
  readonly batchSize: number;
  readonly batches: number;
  readonly perSecond: number;
  readonly medianBatchMs: number;
  readonly failed: number;
  readonly perSecondPerRound: readonly number[];
  readonly cpuCores?: CpuShare;
  readonly firstFailure?: string;
}

/** Field by field median of the rounds' CPU shares; undefined when CPU was not measured. */
export function medianCpu(shares: readonly (CpuShare | undefined)[]): CpuShare | undefined {
  const known = shares.filter((share): share is CpuShare => share !== undefined);
  if (known.length === 0) return undefined;
  const of = (pick: (share: CpuShare) => number | undefined) =>
    round(median(known.flatMap((share) => pick(share) ?? [])), 2);
  const service = known.some((share) => share.service !== undefined)
    ? { service: of((share) => share.service) }
    : {};
  return {
    machine: of((share) => share.machine),
    postgres: of((share) => share.postgres),
    client: of((share) => share.client),
    ...service,
    other: of((share) => share.other),
  };
}

const withCpu = (cpu: CpuShare | undefined) => (cpu ? { cpuCores: cpu } : {});

/** Medians over the rounds of one concurrency, and the ratio of the medians. */
export function concurrencyFigures(clients: number, rounds: ConcurrencyRounds): ConcurrencyFigures {
  const pgbench = rounds.pgbench.map((run) => run.result);
  const ledger = rounds.ledger.map((run) => run.result);
  const ratios = ledger.map((r, i) => r.perSecond / (pgbench[i]?.tps ?? Number.NaN));
  const firstError = ledger.find((r) => r.firstError)?.firstError;
  return {
    clients,
    pgbench: {
      tps: round(median(pgbench.map((r) => r.tps)), 1),
      latencyAverageMs: round(median(pgbench.map((r) => r.latencyAverageMs)), 3),
      p50Ms: round(median(pgbench.map((r) => r.p50Ms)), 3),
      p99Ms: round(median(pgbench.map((r) => r.p99Ms)), 3),
      tpsPerRound: pgbench.map((r) => round(r.tps, 1)),
      ...withCpu(medianCpu(rounds.pgbench.map((run) => run.cpu))),
    },
    ledger: {
      perSecond: round(median(ledger.map((r) => r.perSecond)), 1),
      p50Ms: round(median(ledger.map((r) => r.p50Ms)), 3),
      p99Ms: round(median(ledger.map((r) => r.p99Ms)), 3),
      errors: ledger.reduce((sum, r) => sum + r.errors, 0),
      perSecondPerRound: ledger.map((r) => round(r.perSecond, 1)),
      ...withCpu(medianCpu(rounds.ledger.map((run) => run.cpu))),
      ...(firstError === undefined ? {} : { firstError }),
    },
    ratio: round(median(ratios), 3),
    ratioPerRound: ratios.map((ratio) => round(ratio, 3)),
  };
}

/** Medians over the rounds of the batch path. */
export function batchFigures(rounds: readonly Measured<BatchLoadResult>[]): BatchFigures {
  const results = rounds.map((run) => run.result);
  const firstFailure = results.find((r) => r.firstFailure)?.firstFailure;
  return {
    batchSize: results[0]?.batchSize ?? 0,
    batches: results.reduce((sum, r) => sum + r.batches, 0),
    perSecond: round(median(results.map((r) => r.perSecond)), 1),
    medianBatchMs: round(median(results.map((r) => r.medianBatchMs)), 1),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    perSecondPerRound: results.map((r) => round(r.perSecond, 1)),
    ...withCpu(medianCpu(rounds.map((run) => run.cpu))),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
