import type { GraphEdge, GraphNode } from '../../services/dkg-manager/graph/graph-store.js';
import type { PostgresGraphStore } from '../../services/dkg-manager/graph/postgres/postgres-graph-store.js';
import type { Database } from '../../services/platform/db.js';
import { adapterQueries } from './adapter-queries.js';
import { type Comparison, compareQueries } from './compare-queries.js';
import { directQueries } from './direct-queries.js';
import { generateGraph } from './generate-graph.js';
import type { GraphShape } from './graph-shape.js';
import { drawIds, drawPathPairs, ENTRY_LABELS, idsOf, type PathPair } from './samples.js';
import { seededRandom, seedFor } from './seeded-random.js';

/** How many queries of each kind, and their parameters. */
export interface QuerySettings {
  /** Skills whose agents are ranked (each ranked both ways). */
  readonly rankings: number;
  /** Agents a ranking returns at most. */
  readonly rankLimit: number;
  readonly neighbourhoods: number;
  readonly hops: number;
  readonly paths: number;
  /** The API's default max_hops. */
  readonly maxHops: number;
  /** Queries of each kind run both ways before timing starts (from the same draw). */
  readonly warmup: number;
}

/** What the import wrote and how fast (through `PostgresGraphStore.importGraph`). */
export interface ImportFigures {
  readonly nodes: number;
  readonly edges: number;
  readonly nodesSeconds: number;
  readonly edgesSeconds: number;
  readonly nodesPerSecond: number;
  readonly edgesPerSecond: number;
  /** `vacuum analyze` afterwards (not counted in the rates). */
  readonly analyzeSeconds: number;
  /** graph_nodes and graph_edges with their indexes, MB. */
  readonly tableMb: { readonly nodes: number; readonly edges: number };
}

export interface GraphMeasurements {
  readonly import: ImportFigures;
  readonly ranking: Comparison;
  readonly neighbourhood: Comparison;
  readonly path: Comparison;
}

export interface MeasureGraphOptions {
  /** The adapter's pool (the store is built over it) … */
  readonly store: PostgresGraphStore;
  /**
   * … and a pool of its own for the direct SQL and the benchmark's own statements (the ranking's
   * context carries it too, as the service's does; the ranking itself reads only the graph).
   */
  readonly sql: Database;
  readonly shape: GraphShape;
  readonly seed: number;
  readonly queries: QuerySettings;
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Generates the graph, imports it through the adapter's bulk path (nodes, then edges, each
 * timed), analyzes it, then times ranking, neighbourhood and shortest-path queries through the
 * GraphStore and by direct SQL on the same inputs, drawn with `seed`. The database must hold the
 * migrated, empty graph tables.
 */
export async function measureGraph(options: MeasureGraphOptions): Promise<GraphMeasurements> {
  const { store, sql, shape, seed, queries: q, onProgress, signal } = options;
  const graph = generateGraph(shape, seed);
  onProgress?.(`generating ${graph.nodeCount} nodes and ${graph.edgeCount} edges`);
  // Generated beforehand, so the rates are the import's alone.
  const nodes: GraphNode[] = [...graph.nodes()];
  const edges: GraphEdge[] = [...graph.edges()];

  onProgress?.('importing nodes');
  let started = performance.now();
  const nodeCounts = await store.importGraph({ nodes });
  const nodesSeconds = seconds(started);
  signal?.throwIfAborted();
  onProgress?.('importing edges');
  started = performance.now();
  const edgeCounts = await store.importGraph({ edges });
  const edgesSeconds = seconds(started);
  nodes.length = 0;
  edges.length = 0;
  signal?.throwIfAborted();
  onProgress?.('vacuum analyze');
  started = performance.now();
  await sql`vacuum analyze graph_nodes, graph_edges`;
  const analyzeSeconds = seconds(started);
  const [sizes] = await sql<{ nodes: number; edges: number }[]>`
    select pg_total_relation_size('graph_nodes')::float8 / 1048576 as nodes,
           pg_total_relation_size('graph_edges')::float8 / 1048576 as edges`;

  const adapter = adapterQueries(store, sql);
  const direct = directQueries(sql);
  const entries = await idsOf(sql, ENTRY_LABELS);
  const skills = await idsOf(sql, ['Skill']);
  const draw = (kind: string) => seededRandom(seedFor(seed, 'samples', kind));
  const common = { adapter, direct, warmup: q.warmup, ...(signal ? { signal } : {}) };

  onProgress?.(`${q.rankings} skill rankings (top ${q.rankLimit} agents), each both ways`);
  const ranking = await compareQueries({
    ...common,
    inputs: drawIds(draw('ranking'), skills, q.warmup + q.rankings),
    ask: (queries, skill: string) => queries.rankAgents(skill, q.rankLimit),
    size: (ranking) => ranking.agents.length,
  });
  onProgress?.(`${q.neighbourhoods} ${q.hops}-hop neighbourhoods, each both ways`);
  const neighbourhood = await compareQueries({
    ...common,
    inputs: drawIds(draw('neighbourhood'), entries, q.warmup + q.neighbourhoods),
    ask: (queries, id: string) => queries.neighbourhood(id, q.hops),
    size: (subgraph) => subgraph.nodes.length + subgraph.edges.length,
  });
  onProgress?.(`${q.paths} shortest paths (max ${q.maxHops} hops), each both ways`);
  const pairs = await drawPathPairs(sql, draw('path'), entries, {
    count: q.warmup + q.paths,
    maxHops: q.maxHops,
  });
  const path = await compareQueries({
    ...common,
    inputs: pairs,
    ask: (queries, { from, to }: PathPair) => queries.shortestPath(from, to, q.maxHops),
    size: (found) => (found ? found.edges.length : -1),
    countSizes: true,
  });

  return {
    import: {
      nodes: nodeCounts.nodes,
      edges: edgeCounts.edges,
      nodesSeconds,
      edgesSeconds,
      nodesPerSecond: nodeCounts.nodes / nodesSeconds,
      edgesPerSecond: edgeCounts.edges / edgesSeconds,
      analyzeSeconds,
      tableMb: { nodes: sizes?.nodes ?? Number.NaN, edges: sizes?.edges ?? Number.NaN },
    },
    ranking,
    neighbourhood,
    path,
  };
}
