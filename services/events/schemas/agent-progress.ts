import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/** A task's states past its recording (`submitted` is `aia.agents.tasks.v1`'s record). */
export const PROGRESS_STATES = [
  'working',
  'input-required',
  'auth-required',
  'completed',
  'failed',
  'canceled',
  'rejected',
] as const;

/**
 * `aia.agents.progress.v1` (keyed by task): a task's status changed, published by the agent
 * orchestrator in the transaction that saved the change. Nothing of the task's messages or
 * artifacts: a subscriber reads those with the task's owner's token. Later versions may only add
 * optional fields.
 */
export const agentProgressRecord = z.strictObject({
  task_id: uuid,
  agent_id: uuid,
  /** The task that delegated this one; null for a task a person or a service sent. */
  parent_task_id: uuid.nullable(),
  state: z.enum(PROGRESS_STATES),
  /** The state the task left (`submitted` for its first change). */
  previous_state: z.enum(['submitted', ...PROGRESS_STATES]),
  at: timestamp,
});

export type AgentProgressRecord = z.infer<typeof agentProgressRecord>;
