import type { Database } from '../../../platform/db.js';
import { migrateService } from '../../../platform/migrations.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { GraphStore } from '../graph-store.js';
import { type GraphImport, type ImportCounts, importGraph } from './postgres-bulk-import.js';
import { postgresGraphTx } from './postgres-graph-tx.js';

/** The PostgreSQL adapter: the contract, and a bulk import only this backend has so far. */
export interface PostgresGraphStore extends GraphStore {
  readonly backend: 'postgres';
  /**
   * Writes many nodes, then many edges, in one transaction, in batches of `batchRows` (see
   * `importGraph`): all or nothing. Not retried after a deadlock, since the iterables may be
   * read only once; an import runs alone, so a deadlock is not expected.
   */
  importGraph(graph: GraphImport, batchRows?: number): Promise<ImportCounts>;
}

/**
 * The graph in the service's own PostgreSQL database (GRAPH_BACKEND=postgres, the embedded
 * default): tables from `migrations/001_graph.sql`; writes retried after deadlocks and
 * serialization failures as every other transaction of the kit.
 */
export function postgresGraphStore(sql: Database): PostgresGraphStore {
  return {
    backend: 'postgres',
    read: (work) =>
      sql.begin('read only', (tx) => work(postgresGraphTx(tx as unknown as Database))) as never,
    write: (work) => inTransaction(sql, (tx) => work(postgresGraphTx(tx))),
    migrate: async () => {
      await migrateService(sql, 'dkg-manager');
    },
    importGraph: (graph, batchRows) =>
      sql.begin((tx) => importGraph(tx as unknown as Database, graph, batchRows)) as never,
  };
}
