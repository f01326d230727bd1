import { median, percentile } from '../ledger/percentiles.js';
import type { GraphQueries } from './graph-queries.js';

/** Latency of one way of answering: nearest-rank percentiles over every timed query (ms). */
export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** One query kind timed both ways on the same inputs. */
export interface Comparison {
  readonly queries: number;
  readonly warmup: number;
  readonly adapter: Latency;
  readonly direct: Latency;
  /** adapter p50 / direct p50, and the same for p99. */
  readonly ratioP50: number;
  readonly ratioP99: number;
  /**
   * The median over the inputs of each one's adapter time / direct time: steadier than the ratio
   * of p50s when the inputs' times spread widely (paths found at once or after every hop).
   */
  readonly ratioPerQuery: number;
  /** Inputs whose two answers differed (should be none; the first is shown). */
  readonly mismatches: number;
  readonly firstMismatch?: string;
  /** What the answers held (`size` of each adapter answer), as p50 and max. */
  readonly size: { readonly p50: number; readonly max: number };
  /** How many answers had each size, when asked for (`countSizes`): hops of paths, say. */
  readonly sizeCounts?: Readonly<Record<string, number>>;
}

export interface CompareOptions<I, R> {
  readonly adapter: GraphQueries;
  readonly direct: GraphQueries;
  /** The inputs, in order; the first `warmup` are run both ways untimed. */
  readonly inputs: readonly I[];
  readonly warmup: number;
  readonly ask: (queries: GraphQueries, input: I) => Promise<R>;
  /** How big an answer is (rows, nodes + edges, hops), for the report; -1 for none. */
  readonly size: (answer: R) => number;
  /** Also count the answers of each size (few distinct sizes, like a path's hops). */
  readonly countSizes?: boolean;
  readonly signal?: AbortSignal;
}

const latency = (times: readonly number[]): Latency => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
};

/**
 * Asks every input both ways, one query at a time, alternating which way goes first (so neither
 * always finds the pages the other just read), times each, and checks that both answers are the
 * same (compared as JSON, outside the timing).
 */
export async function compareQueries<I, R>(options: CompareOptions<I, R>): Promise<Comparison> {
  const { adapter, direct, inputs, warmup, ask, size, countSizes = false, signal } = options;
  const adapterMs: number[] = [];
  const directMs: number[] = [];
  const sizes: number[] = [];
  let mismatches = 0;
  let firstMismatch: string | undefined;
  const timed = async (queries: GraphQueries, input: I) => {
    const started = performance.now();
    const answer = await ask(queries, input);
    return { answer, ms: performance.now() - started };
  };
  for (const [i, input] of inputs.entries()) {
    signal?.throwIfAborted();
    const adapterFirst = i % 2 === 0;
    const first = await timed(adapterFirst ? adapter : direct, input);
    const second = await timed(adapterFirst ? direct : adapter, input);
    const [viaAdapter, viaDirect] = adapterFirst ? [first, second] : [second, first];
    if (JSON.stringify(viaAdapter.answer) !== JSON.stringify(viaDirect.answer)) {
      mismatches++;
      firstMismatch ??= `input ${JSON.stringify(input)}`;
    }
    if (i < warmup) continue;
    adapterMs.push(viaAdapter.ms);
    directMs.push(viaDirect.ms);
    sizes.push(size(viaAdapter.answer));
  }
  const ratios = adapterMs.map((ms, i) => ms / (directMs[i] as number));
  const a = latency(adapterMs);
  const d = latency(directMs);
  const sortedSizes = sizes.sort((x, y) => x - y);
  const sizeCounts: Record<string, number> = {};
  for (const each of sortedSizes) {
    const key = each < 0 ? 'none' : String(each);
    sizeCounts[key] = (sizeCounts[key] ?? 0) + 1;
  }
  return {
    queries: adapterMs.length,
    warmup: Math.min(warmup, inputs.length),
    adapter: a,
    direct: d,
    ratioP50: a.p50Ms / d.p50Ms,
    ratioP99: a.p99Ms / d.p99Ms,
    ratioPerQuery: median(ratios),
    mismatches,
    ...(firstMismatch ? { firstMismatch } : {}),
    size: { p50: percentile(sortedSizes, 50), max: sortedSizes[sortedSizes.length - 1] ?? 0 },
    ...(countSizes ? { sizeCounts } : {}),
  };
}
