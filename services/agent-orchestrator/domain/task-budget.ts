import type { Task } from '@a2a-js/sdk';
import type { Agent } from './agent.js';

/**
 * The most a task may spend, in AIA: `metadata.budget_aia` as its sender set it at submission,
 * else the agent's default budget.
 */
export function budgetOf(task: Task, agent: Agent): string {
  const named = task.metadata?.budget_aia;
  return typeof named === 'string' ? named : agent.limits.default_budget_aia;
}
