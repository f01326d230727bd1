import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/transactions.js';
import type { Agent } from '../domain/agent.js';
import { patchLimits, patchRuntime } from '../domain/agent-patch.js';
import type { UpdateAgent } from '../domain/agent-schemas.js';
import { findAgent, lockHierarchy, updateAgent } from '../repository/agent-store.js';
import { AgentRefusedError } from './agent-refused.js';
import { writeAgentRegistryEvent } from './agent-registry-event.js';
import { type Caller, refuseUnlessOwner } from './caller.js';
import { checkModelClass } from './check-model-class.js';
import { checkRemoteCard } from './check-remote-card.js';
import { checkPlacement } from './placement.js';
import type { RegistryContext } from './registry-context.js';

/**
 * Changes an active agent's card data, runtime, limits or manager (its owner or an admin). A move (a new `manager_id`)
 * holds the hierarchy lock and checks the new place first: a manager the caller owns (or an
 * admin), no cycle, an active manager, the moved subtree within the depth limit. A new
 * `runtime.card_url` is fetched first, outside the transaction (an owner's request only), and a
 * card that cannot be used is refused. A refused update changes nothing.
 */
export async function updateAgentById(
  context: RegistryContext,
  caller: Caller,
  id: string,
  changes: UpdateAgent,
): Promise<Agent> {
  const { sql, maxDepth, outbound } = context;
  const cardUrl = changes.runtime?.card_url;
  if (cardUrl !== undefined) {
    refuseUnlessOwner(caller, await getAgent(context, id));
    await checkRemoteCard(cardUrl, outbound);
  }
  return inTransaction(sql, async (tx) => {
    const managerId = changes.manager_id;
    if (managerId !== undefined) await lockHierarchy(tx);
    const [current] = await tx<
      Pick<Agent, 'owner' | 'status' | 'manager_id' | 'runtime' | 'limits'>[]
    >`select owner, status, manager_id, runtime, limits from agents where id = ${id} for update`;
    if (!current) throw new NotFoundError(`agent ${id} does not exist`);
    refuseUnlessOwner(caller, { id, owner: current.owner });
    if (current.status !== 'active')
      throw new AgentRefusedError('agent_retired', `agent ${id} is retired and cannot change`);
    if (managerId !== undefined && managerId !== null && managerId !== current.manager_id)
      await checkPlacement(tx, { agentId: id, managerId, maxDepth, caller });
    const { runtime, limits, ...rest } = changes;
    const patched = runtime === undefined ? undefined : patchRuntime(current.runtime, runtime);
    if (patched && 'issues' in patched) throw new ValidationError(patched.issues);
    // A new class, or a runtime that becomes llm (its default class): a stored one is kept as is.
    if (patched && (runtime?.model_class !== undefined || current.runtime.kind !== 'llm'))
      checkModelClass(patched.runtime, context.modelClasses);
    const updated = await updateAgent(tx, id, {
      ...rest,
      ...(patched ? { runtime: patched.runtime } : {}),
      ...(limits === undefined ? {} : { limits: patchLimits(current.limits, limits) }),
    });
    await writeAgentRegistryEvent(tx, updated);
    return updated;
  });
}

/** An agent by id, or a 404. */
export async function getAgent({ sql }: RegistryContext, id: string): Promise<Agent> {
  const agent = await findAgent(sql, id);
  if (!agent) throw new NotFoundError(`agent ${id} does not exist`);
  return agent;
}
