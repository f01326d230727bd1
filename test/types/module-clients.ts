/**
 * Compile-time checks (`npm run typecheck`): a module's clients are those of the services its
 * definition calls, and no other.
 */
import type { agentOrchestrator } from '../../services/agent-orchestrator/definition.js';
import type { economicGovernor } from '../../services/economic-governor/definition.js';
import type { ClientsOf } from '../../services/platform/module.js';

type OrchestratorClients = ClientsOf<typeof agentOrchestrator>;
type GovernorClients = ClientsOf<typeof economicGovernor>;

export type CallsTheLedger = OrchestratorClients['economic-governor'];
// @ts-expect-error the governor calls no service, so it has no client of the ledger
export type CallsNothing = GovernorClients['economic-governor'];
