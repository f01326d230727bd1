import { median, round } from '../ledger/percentiles.js';
import type { IngestShape } from './bench-events.js';
import type { IngestRun } from './measure-ingest.js';
import type { RerankRun } from './measure-rerank.js';

/** Everything `bench/results/tracker.json` holds. */
export interface TrackerBenchResult {
  readonly benchmark: 'tracker';
  readonly measuredAt: string;
  readonly settings: {
    readonly ingest: IngestShape & { readonly lanes: number };
    readonly rerank: { readonly agents: number; readonly runsPerAgent: number };
    readonly runs: number;
    readonly postgresVersion: string;
    readonly cpus: number;
    readonly node: string;
  };
  readonly ingest: readonly IngestRun[];
  readonly rerank: readonly RerankRun[];
}

/** The medians the report and the docs quote. */
export function summarise(result: TrackerBenchResult) {
  const ingestTracker = median(result.ingest.map((r) => r.trackerPerSecond));
  const ingestPlain = median(result.ingest.map((r) => r.plainPerSecond));
  const [first, ...again] = result.rerank;
  const rerankTracker = median(again.map((r) => r.trackerMs));
  const rerankPlain = median(result.rerank.map((r) => r.plainMs));
  return {
    ingest: { tracker: ingestTracker, plain: ingestPlain, ratio: ingestPlain / ingestTracker },
    firstRankMs: first?.trackerMs ?? Number.NaN,
    rerank: { tracker: rerankTracker, plain: rerankPlain, ratio: rerankTracker / rerankPlain },
    mismatches: result.rerank.reduce((sum, r) => sum + r.mismatches, 0),
  };
}

const n = (value: number, digits = 0) =>
  Number.isFinite(value) ? round(value, digits).toLocaleString('en-US') : 'n/a';

/** The human-readable summary printed at the end of the run. */
export function formatReport(result: TrackerBenchResult): string {
  const s = result.settings;
  const m = summarise(result);
  return [
    '',
    `Performance tracker on PostgreSQL ${s.postgresVersion}, ${s.cpus} CPUs, Node ${s.node}; ${s.runs} runs, medians`,
    '',
    'measure                                                       tracker     plain SQL         ratio',
    `ingest (${n(s.ingest.events)} runs of ${n(s.ingest.agents)} agents in ${s.ingest.skills} skills, ${s.ingest.lanes} lanes)`.padEnd(
      50,
    ) +
      ` ${`${n(m.ingest.tracker)} /s`.padStart(12)}  ${`${n(m.ingest.plain)} /s`.padStart(12)}  ${`${n(m.ingest.ratio, 1)}x slower`.padStart(12)}`,
    `full re-rank, ${n(s.rerank.agents)} agents (every score changed)`.padEnd(56) +
      ` ${`${n(m.rerank.tracker)} ms`.padStart(12)}  ${`${n(m.rerank.plain)} ms`.padStart(12)}  ${`${n(m.rerank.ratio, 2)}x`.padStart(12)}`,
    `first ranking, ${n(s.rerank.agents)} agents (every agent new)`.padEnd(56) +
      ` ${`${n(m.firstRankMs)} ms`.padStart(12)}`,
    '',
    "ingest: plain SQL = each run inserted and its agent's totals upserted, one transaction each.",
    're-rank: plain SQL = GROUP BY agent over the raw runs, Wilson bound, rank() OVER; the tracker ranks its stored scores.',
    m.mismatches === 0
      ? 'ranks: the tracker and the plain SQL agree on every agent in every run.'
      : `ranks: ${m.mismatches} agents ranked differently by the tracker and the plain SQL.`,
    '',
  ].join('\n');
}
