import type { Database } from '../../platform/db.js';
import type { GraphStore } from '../graph/graph-store.js';

/** What the registries' operations work with: the graph, and PostgreSQL for Idempotency-Keys. */
export interface DkgContext {
  readonly graph: GraphStore;
  readonly sql: Database;
}
