import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/** One skill of an agent's card, as the registry record carries it. */
export const agentRegistrySkill = z.strictObject({
  /** The card's skill id (a token such as `market-research`). */
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  tags: z.array(z.string().min(1).max(64)).max(16),
  /** The declared level, 1 (aware) to 5 (expert), when the card gives one. */
  level: z.number().int().min(1).max(5).optional(),
});

/**
 * `aia.agents.registry.v1` (compacted, keyed by agent id): an agent as the orchestrator's registry
 * holds it after a registration, an update or a retirement. `revision` rises by one with each
 * change of the agent, in commit order, so a consumer that sees a record older than what it
 * applied (a redelivery, or a replay of the compacted topic) drops it. Later versions may only
 * add optional fields.
 */
export const agentRegistryRecord = z.strictObject({
  agent_id: uuid,
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  /** The card's version string. */
  version: z.string().min(1).max(64),
  skills: z.array(agentRegistrySkill).max(32),
  /** The agent it reports to; null at the top of the hierarchy. */
  manager_id: uuid.nullable(),
  status: z.enum(['active', 'retired']),
  changed_at: timestamp,
  revision: z.number().int().min(1),
});

export type AgentRegistryRecord = z.infer<typeof agentRegistryRecord>;
