import { round } from '../ledger/percentiles.js';
import type { Comparison } from './compare-queries.js';
import type { GraphShape } from './graph-shape.js';
import type { GraphMeasurements, QuerySettings } from './measure-graph.js';

/** Everything `bench/results/dkg.json` holds. */
export interface DkgBenchResult extends GraphMeasurements {
  readonly benchmark: 'dkg';
  readonly measuredAt: string;
  readonly settings: {
    readonly seed: number;
    readonly shape: GraphShape;
    readonly queries: QuerySettings;
    readonly postgresVersion: string;
    readonly sharedBuffers: string;
    readonly cpus: number;
    readonly node: string;
  };
}

/** A ratio above this is the adapter costing more than the query itself: worth a look. */
export const RATIO_WORTH_A_LOOK = 2;

const fixed = (value: number, digits = 2) =>
  Number.isFinite(value) ? round(value, digits).toLocaleString('en-US') : 'n/a';

/** The human-readable summary printed at the end of the run. */
export function formatReport(result: DkgBenchResult): string {
  const { settings: s, import: imported } = result;
  const q = s.queries;
  const lines = [
    '',
    `DKG Manager on PostgreSQL ${s.postgresVersion} (shared_buffers ${s.sharedBuffers}), ${s.cpus} CPUs, Node ${s.node}; seed ${s.seed}`,
    `import through PostgresGraphStore.importGraph: ${fixed(imported.nodes, 0)} nodes in ${fixed(imported.nodesSeconds, 1)} s (${fixed(imported.nodesPerSecond, 0)}/s), ${fixed(imported.edges, 0)} edges in ${fixed(imported.edgesSeconds, 1)} s (${fixed(imported.edgesPerSecond, 0)}/s); vacuum analyze ${fixed(imported.analyzeSeconds, 1)} s; tables with indexes: nodes ${fixed(imported.tableMb.nodes, 0)} MB, edges ${fixed(imported.tableMb.edges, 0)} MB`,
    '',
    'query (one at a time)                        queries  adapter p50 / p99 ms  direct p50 / p99 ms  ratio p50  ratio p99  per query  answer size p50 / max',
  ];
  const rows: [string, Comparison, string][] = [
    [`rank agents for a skill (top ${q.rankLimit})`, result.ranking, 'agents'],
    [`${q.hops}-hop neighbourhood`, result.neighbourhood, 'nodes + edges'],
    [`shortest path (max ${q.maxHops} hops)`, result.path, 'hops'],
  ];
  for (const [name, c, unit] of rows) {
    lines.push(
      `${name.padEnd(43)}  ${String(c.queries).padStart(7)}  ${`${fixed(c.adapter.p50Ms)} / ${fixed(c.adapter.p99Ms)}`.padStart(20)}  ${`${fixed(c.direct.p50Ms)} / ${fixed(c.direct.p99Ms)}`.padStart(19)}  ${fixed(c.ratioP50).padStart(9)}  ${fixed(c.ratioP99).padStart(9)}  ${fixed(c.ratioPerQuery).padStart(9)}  ${fixed(c.size.p50, 0)} / ${fixed(c.size.max, 0)} ${unit}`,
    );
  }
  lines.push(
    '',
    "ratio = adapter / direct SQL: of the p50s, of the p99s, and the median of each query's own ratio.",
  );
  if (result.path.sizeCounts)
    lines.push(
      `paths by hops: ${Object.entries(result.path.sizeCounts)
        .map(([hops, count]) => `${hops}: ${count}`)
        .join(', ')}`,
    );
  for (const [name, c] of rows) {
    if (c.mismatches > 0)
      lines.push(
        `${name}: ${c.mismatches} answers differed between the two ways; first: ${c.firstMismatch}`,
      );
    if (Math.max(c.ratioP50, c.ratioP99, c.ratioPerQuery) > RATIO_WORTH_A_LOOK)
      lines.push(`${name}: the adapter takes more than ${RATIO_WORTH_A_LOOK}x the direct SQL`);
  }
  lines.push('');
  return lines.join('\n');
}
