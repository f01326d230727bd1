import type { Database } from '../../../platform/db.js';
import { migrateService } from '../../../platform/migrations.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { GraphStore } from '../graph-store.js';
import { postgresGraphTx } from './postgres-graph-tx.js';

/**
 * The graph in the service's own PostgreSQL database (GRAPH_BACKEND=postgres, the embedded
 * default): tables from `migrations/001_graph.sql`; writes retried after deadlocks and
 * serialization failures as every other transaction of the kit.
 */
export function postgresGraphStore(sql: Database): GraphStore {
  return {
    backend: 'postgres',
    read: (work) =>
      sql.begin('read only', (tx) => work(postgresGraphTx(tx as unknown as Database))) as never,
    write: (work) => inTransaction(sql, (tx) => work(postgresGraphTx(tx))),
    migrate: async () => {
      await migrateService(sql, 'dkg-manager');
    },
  };
}
