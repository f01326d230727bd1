import { z } from 'zod';
import {
  type Problem,
  ServiceProblemError,
  type ServiceTransport,
} from '../../../platform/service-client/index.js';

/**
 * Where an agent's rewards go: its AIA ledger account. The run records do not carry it; the
 * agent orchestrator opens one account per agent when it registers it and keeps its id on the
 * agent (`ledger_account_id`). Null when the orchestrator knows no such agent.
 */
export interface AgentAccounts {
  accountOf(agentId: string): Promise<string | null>;
}

const AgentReply = z.object({ agent: z.object({ ledger_account_id: z.uuid() }) });

/**
 * {@link AgentAccounts} from the agent orchestrator's `GET /v1/agents/{id}` (scope
 * `agents:read`), through `transport` (the tracker's service identity toward the orchestrator:
 * its token, time limit, retries and breaker). A 404 is an agent the orchestrator does not know
 * (null); any other error answer is a `ServiceProblemError`, no answer a
 * `ServiceUnavailableError`: the epoch is then built on a later pass.
 */
export function orchestratorAgentAccounts(transport: ServiceTransport): AgentAccounts {
  const fetchAgent = transport.fetchFor();
  return {
    async accountOf(agentId) {
      const response = await fetchAgent(
        new Request(`${transport.apiUrl}/agents/${encodeURIComponent(agentId)}`),
      );
      if (response.status === 404) return null;
      const body: unknown = await response.json().catch(() => ({}));
      if (!response.ok)
        throw new ServiceProblemError('agent-orchestrator', response.status, body as Problem);
      return AgentReply.parse(body).agent.ledger_account_id;
    },
  };
}

/**
 * Remembers the accounts `inner` found: an agent's ledger account never changes, so each agent
 * is asked for once per process. Unknown agents are asked again (they may be registered later).
 */
export function rememberedAgentAccounts(inner: AgentAccounts): AgentAccounts {
  const known = new Map<string, string>();
  return {
    async accountOf(agentId) {
      const remembered = known.get(agentId);
      if (remembered) return remembered;
      const account = await inner.accountOf(agentId);
      if (account) known.set(agentId, account);
      return account;
    },
  };
}
