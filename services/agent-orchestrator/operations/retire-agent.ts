import { NotFoundError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/transactions.js';
import type { Agent } from '../domain/agent.js';
import { refuseRetirement } from '../domain/hierarchy.js';
import {
  countActiveReports,
  findAgent,
  lockHierarchy,
  retireAgent,
} from '../repository/agent-store.js';
import { AgentRefusedError } from './agent-refused.js';
import { writeAgentRegistryEvent } from './agent-registry-event.js';
import { type Caller, refuseUnlessOwner } from './caller.js';
import type { RegistryContext } from './registry-context.js';

/**
 * Retires an agent (its owner or an admin): it takes no more tasks and cannot be a manager. Refused while an active
 * agent reports to it (checked under the hierarchy lock, so no report arrives meanwhile).
 * Retiring a retired agent answers it unchanged.
 */
export async function retireAgentById(
  { sql }: RegistryContext,
  caller: Caller,
  id: string,
): Promise<Agent> {
  return inTransaction(sql, async (tx) => {
    await lockHierarchy(tx);
    const agent = await findAgent(tx, id);
    if (!agent) throw new NotFoundError(`agent ${id} does not exist`);
    refuseUnlessOwner(caller, agent);
    if (agent.status === 'retired') return agent;
    const refusal = refuseRetirement(id, await countActiveReports(tx, id));
    if (refusal) throw new AgentRefusedError(refusal.code, refusal.reason);
    const retired = await retireAgent(tx, id);
    await writeAgentRegistryEvent(tx, retired);
    return retired;
  });
}
