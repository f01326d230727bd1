import { z } from 'zod';
import { decimal, timestamp, uuid } from './fields.js';

/**
 * `aia.agents.runs.v1` (keyed by agent): a finished run with its outcome, cost and duration.
 * First draft until the agent orchestrator publishes it; later versions may only add optional
 * fields.
 */
export const agentRunRecord = z.strictObject({
  run_id: uuid,
  agent_id: uuid,
  task_id: uuid,
  outcome: z.enum(['succeeded', 'failed', 'cancelled']),
  /** What the run cost in AIA, as an exact decimal string. */
  cost: decimal,
  duration_ms: z.number().int().min(0),
  finished_at: timestamp,
});

export type AgentRunRecord = z.infer<typeof agentRunRecord>;
