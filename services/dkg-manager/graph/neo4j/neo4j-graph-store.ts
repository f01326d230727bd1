import neo4j, { type Driver } from 'neo4j-driver';
import type { GraphStore } from '../graph-store.js';
import { neo4jGraphTx } from './neo4j-graph-tx.js';
import { migrateNeo4j } from './neo4j-migrations.js';

/**
 * The graph on Neo4j (GRAPH_BACKEND=neo4j, the stacks' backend): each read and write is a managed
 * transaction (`executeRead`, `executeWrite`), which the driver runs again after transient
 * failures (a leader switch, a deadlock) within its retry time.
 */
export function neo4jGraphStore(driver: Driver): GraphStore {
  const inSession = async <T>(
    mode: 'read' | 'write',
    run: (session: ReturnType<Driver['session']>) => Promise<T>,
  ) => {
    const session = driver.session({
      defaultAccessMode: mode === 'read' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    try {
      return await run(session);
    } finally {
      await session.close();
    }
  };
  // Applied once per process; a failure (Neo4j not reachable yet) is tried again by the next
  // caller, so the service starts without Neo4j and a write never runs before the constraints.
  let migrated: Promise<void> | undefined;
  const migrate = () => {
    migrated ??= inSession('write', migrateNeo4j).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
  return {
    backend: 'neo4j',
    read: (work) =>
      inSession('read', (session) => session.executeRead((tx) => work(neo4jGraphTx(tx)))),
    write: async (work) => {
      await migrate();
      return inSession('write', (session) => session.executeWrite((tx) => work(neo4jGraphTx(tx))));
    },
    migrate,
  };
}
