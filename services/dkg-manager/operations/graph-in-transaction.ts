import type { Database } from '../../platform/db.js';
import type { GraphTx } from '../graph/graph-store.js';
import { postgresGraphTx } from '../graph/postgres/postgres-graph-tx.js';
import type { DkgContext } from './dkg-context.js';

/** Graph work beside a PostgreSQL transaction `tx` (an event handler's, a worker's). */
export interface GraphBeside {
  read<T>(work: (graph: GraphTx) => Promise<T>): Promise<T>;
  write<T>(work: (graph: GraphTx) => Promise<T>): Promise<T>;
}

/**
 * The graph as seen from `tx`. On PostgreSQL the graph lives in the service's database (module.ts
 * builds its store over the same `sql`), so reads and writes run in `tx` itself: they commit with
 * it, and with the event `tx` records as processed. On Neo4j each is a graph transaction of its
 * own, committed before `tx`: work done this way must leave the same graph when done again (a
 * retry after `tx` failed). Reads there are write transactions too: they run on the leader,
 * which has every committed write, so a read sees what the write before it made.
 */
export function graphBeside({ graph }: DkgContext, tx: Database): GraphBeside {
  if (graph.backend === 'postgres') {
    const inTx = postgresGraphTx(tx);
    return { read: (work) => work(inTx), write: (work) => work(inTx) };
  }
  return { read: (work) => graph.write(work), write: (work) => graph.write(work) };
}
