import type { Database } from '../../platform/db.js';
import { ValidationError } from '../../platform/errors.js';
import { refusePlacement } from '../domain/hierarchy.js';
import { pathToRoot, subtreeHeight } from '../repository/agent-store.js';
import { AgentRefusedError } from './agent-refused.js';

/**
 * Refuses placing `agentId` (undefined: a new agent) under `managerId` when the hierarchy's rules
 * say no: an unknown manager is a 422 on `manager_id`, a rule a 409 naming it. Run it under
 * `lockHierarchy` for the answer to still hold at commit.
 */
export async function checkPlacement(
  sql: Database,
  { agentId, managerId, maxDepth }: { agentId?: string; managerId: string; maxDepth: number },
): Promise<void> {
  const managerPath = await pathToRoot(sql, managerId);
  if (managerPath.length === 0)
    throw new ValidationError([{ field: 'manager_id', reason: `no agent ${managerId} exists` }]);
  const refusal = refusePlacement({
    ...(agentId === undefined ? {} : { agentId }),
    managerPath,
    subtreeHeight: agentId === undefined ? 0 : await subtreeHeight(sql, agentId),
    maxDepth,
  });
  if (refusal) throw new AgentRefusedError(refusal.code, refusal.reason, refusal.field);
}
