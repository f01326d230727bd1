import type { ServiceClients } from '../../clients.js';
import type { Database } from '../../platform/db.js';

/** What the registry's operations work with. */
export interface RegistryContext {
  readonly sql: Database;
  /** Opens each agent's own AIA account (owned by `service:agent-orchestrator`). */
  readonly governor: Pick<ServiceClients['economic-governor'], 'openAccount'>;
  /** `MAX_DELEGATION_DEPTH`: the deepest an agent may sit below its root. */
  readonly maxDepth: number;
}
