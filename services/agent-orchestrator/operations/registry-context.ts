import type { ServiceClients } from '../../clients.js';
import type { Database } from '../../platform/db.js';
import type { OutboundPolicy } from '../../platform/outbound/public-fetch.js';

/** What the registry's operations work with. */
export interface RegistryContext {
  readonly sql: Database;
  /** Opens each agent's own AIA account (owned by `service:agent-orchestrator`). */
  readonly governor: Pick<ServiceClients['economic-governor'], 'openAccount'>;
  /** `MAX_DELEGATION_DEPTH`: the deepest an agent may sit below its root. */
  readonly maxDepth: number;
  /** Which addresses a remote agent's card may be at (`PUSH_ALLOW_PRIVATE_ADDRESSES`). */
  readonly outbound: OutboundPolicy;
  /** The text model classes the LLM layer serves, which an `llm` agent may name; unset: any. */
  readonly modelClasses?: readonly string[];
}
