import type { Database } from '../../platform/db.js';
import { ValidationError } from '../../platform/errors.js';
import { refusePlacement } from '../domain/hierarchy.js';
import { findAgent, pathToRoot, subtreeHeight } from '../repository/agent-store.js';
import { AgentRefusedError } from './agent-refused.js';
import { type Caller, refuseUnlessManagerOwner } from './caller.js';

/**
 * Refuses placing `agentId` (undefined: a new agent) under `managerId` for `caller` when the
 * hierarchy's rules say no: an unknown manager is a 422 on `manager_id`, a manager the caller does
 * not own a 403 `not_manager_owner`, a rule a 409 naming it. Run it under `lockHierarchy` for the
 * answer to still hold at commit.
 */
export async function checkPlacement(
  sql: Database,
  {
    agentId,
    managerId,
    maxDepth,
    caller,
  }: { agentId?: string; managerId: string; maxDepth: number; caller: Caller },
): Promise<void> {
  const manager = await findAgent(sql, managerId);
  if (!manager)
    throw new ValidationError([{ field: 'manager_id', reason: `no agent ${managerId} exists` }]);
  refuseUnlessManagerOwner(caller, manager);
  const managerPath = await pathToRoot(sql, managerId);
  const refusal = refusePlacement({
    ...(agentId === undefined ? {} : { agentId }),
    managerPath,
    subtreeHeight: agentId === undefined ? 0 : await subtreeHeight(sql, agentId),
    maxDepth,
  });
  if (refusal) throw new AgentRefusedError(refusal.code, refusal.reason, refusal.field);
}
