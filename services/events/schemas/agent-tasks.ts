import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * `aia.agents.tasks.v1` (keyed by the agent that runs the task): a task delegated down the agent
 * hierarchy, or sent to an agent by a person or a service, published by the agent orchestrator
 * when the task is recorded. Later versions may only add optional fields.
 */
export const agentTaskRecord = z.strictObject({
  task_id: uuid,
  agent_id: uuid,
  /** The agent that delegated the task; null for a task a person or a schedule started. */
  delegated_by: uuid.nullable(),
  parent_task_id: uuid.nullable(),
  skill: z.string().min(1).max(200),
  created_at: timestamp,
});

export type AgentTaskRecord = z.infer<typeof agentTaskRecord>;
