import { randomUUID } from 'node:crypto';
import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';

/** An `aia.agents.registry.v1` record: an active agent at revision 1 without skills, unless told. */
export const registryRecord = (
  fields: Partial<AgentRegistryRecord> & Pick<AgentRegistryRecord, 'name'>,
): AgentRegistryRecord => ({
  agent_id: randomUUID(),
  description: `${fields.name}, mirrored`,
  version: '1.0.0',
  skills: [],
  manager_id: null,
  status: 'active',
  changed_at: new Date().toISOString(),
  revision: 1,
  ...fields,
});

/** A card skill of a registry record. */
export const cardSkill = (id: string, name: string, extra: { level?: number } = {}) => ({
  id,
  name,
  tags: [id],
  ...extra,
});

/** An `aia.agents.runs.v1` record of `agentId` that succeeded, cost 0.5 AIA and took 200 ms. */
export const runRecord = (
  agentId: string,
  fields: Partial<AgentRunRecord> = {},
): AgentRunRecord => ({
  run_id: randomUUID(),
  agent_id: agentId,
  task_id: randomUUID(),
  outcome: 'succeeded',
  cost: '0.5',
  duration_ms: 200,
  finished_at: new Date().toISOString(),
  ...fields,
});
