import { z } from 'zod';
import { decimal, timestamp, uuid } from './fields.js';

/**
 * `aia.agents.runs.v1` (keyed by agent): a finished run with its outcome, cost and duration,
 * published by the agent orchestrator when a task ends. Later versions may only add optional
 * fields.
 */
export const agentRunRecord = z.strictObject({
  run_id: uuid,
  agent_id: uuid,
  task_id: uuid,
  outcome: z.enum(['succeeded', 'failed', 'cancelled']),
  /** What the run cost in AIA, as an exact decimal string (its delegated children included). */
  cost: decimal,
  duration_ms: z.number().int().min(0),
  finished_at: timestamp,
  /** The task that delegated this one; null for a task a person or a service sent. */
  parent_task_id: uuid.nullable().optional(),
  /** The final A2A state (`rejected` is a failed outcome whose run never started). */
  state: z.enum(['completed', 'failed', 'canceled', 'rejected']).optional(),
  /** The model that answered, as `provider/model`, when a model did. */
  model: z.string().min(1).max(200).optional(),
  /** Tokens the run's model calls used. */
  tokens: z
    .strictObject({ input: z.number().int().min(0), output: z.number().int().min(0) })
    .optional(),
  /** Quality signals: how many child tasks it delegated, and how many of them failed. */
  children: z.number().int().min(0).optional(),
  failed_children: z.number().int().min(0).optional(),
  /**
   * Version 2: what the run is evidence of. The skill the task was for (a card skill's id or
   * name: the sender's `metadata.skill`, else the agent's first card skill).
   */
  skill: z.string().min(1).max(200).optional(),
  /** The strategy entry (DKG) the task named in `metadata.strategy`. */
  strategy: uuid.optional(),
  /** The task type the task named in `metadata.taskType`. */
  task_type: z.string().min(1).max(200).optional(),
  /** The evaluation of the run's result, 0 (worthless) to 1 (perfect), when one exists. */
  quality: z.number().min(0).max(1).optional(),
});

export type AgentRunRecord = z.infer<typeof agentRunRecord>;
