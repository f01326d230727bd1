import { randomUUID } from 'node:crypto';
import type { AgentAccounts } from '../../epochs/operations/agent-accounts.js';

/** The orchestrator's agents as a test needs them: `ids` exist (each with an account), no other. */
export function knownAgents(...ids: string[]): AgentAccounts & { add(id: string): void } {
  const accounts = new Map(ids.map((id) => [id, randomUUID()]));
  return {
    accountOf: async (agentId) => accounts.get(agentId) ?? null,
    add: (id) => {
      accounts.set(id, randomUUID());
    },
  };
}
