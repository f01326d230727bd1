import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import type { Database } from '../../platform/db.js';
import { writeEvent } from '../../platform/events/index.js';
import type { Agent } from '../domain/agent.js';

/** The record of `agent` at `revision`: what the DKG manager mirrors. */
export const agentRegistryRecordOf = (agent: Agent, revision: number): AgentRegistryRecord => ({
  agent_id: agent.id,
  name: agent.name,
  description: agent.description,
  version: agent.version,
  skills: agent.skills.map(({ id, name, tags }) => ({ id, name, tags: [...tags] })),
  manager_id: agent.manager_id,
  status: agent.status,
  changed_at: agent.updated_at,
  revision,
});

/** Raises the agent's revision by one (1 for a new agent) and returns it. */
async function nextRevision(tx: Database, agentId: string): Promise<number> {
  const [row] = await tx<{ revision: string }[]>`
    insert into agent_registry_revisions (agent_id, revision) values (${agentId}, 1)
    on conflict (agent_id) do update set revision = agent_registry_revisions.revision + 1
    returning revision`;
  return Number(row?.revision);
}

/**
 * Writes `aia.agents.registry.v1` for `agent` as `tx` leaves it (registered, updated, retired),
 * in that transaction: the record exists if and only if the change commits. Call it after the
 * change, with the agent's row written (so locked) by `tx`: a later change of the agent waits for
 * this one, and so gets a higher revision and a later place in the outbox.
 */
export async function writeAgentRegistryEvent(tx: Database, agent: Agent): Promise<void> {
  const revision = await nextRevision(tx, agent.id);
  await writeEvent(tx, 'aia.agents.registry.v1', agent.id, agentRegistryRecordOf(agent, revision), {
    producer: 'agent-orchestrator',
  });
}
