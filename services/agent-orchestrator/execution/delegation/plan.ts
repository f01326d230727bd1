import { z } from 'zod';
import type { Llm } from '../../../platform/llm/types.js';
import type { Agent } from '../../domain/agent.js';
import { splitBudget } from '../../domain/budget-split.js';

/** The most subtasks one plan may hand out. */
export const MAX_SUBTASKS = 8;

/** One part of a task given to one report. */
export interface Subtask {
  readonly agent_id: string;
  readonly request: string;
  /**
   * The child's budget, fixed when the plan is recorded (so a retry reserves the same amount
   * even if the report's limits changed meanwhile).
   */
  readonly budget_aia: string;
}

/** A manager's plan: which reports do which parts; none means it answers the task itself. */
export interface Plan {
  readonly subtasks: readonly Subtask[];
  /** What planning cost, in AIA. */
  readonly cost_aia: string;
}

/** The plan's schema: subtasks only for the given reports (the model cannot invent an agent). */
const planSchema = (reports: readonly Agent[]) =>
  z.object({
    subtasks: z
      .array(
        z.object({
          agent_id: z.enum(reports.map((report) => report.id) as [string, ...string[]]),
          request: z.string().min(1).max(4_000),
        }),
      )
      .max(Math.min(MAX_SUBTASKS, reports.length * 2)),
  });

/** What the model is told about the agent's reports. */
function planningSystem(agent: Agent, reports: readonly Agent[]): string {
  const roster = reports
    .map((report) => {
      const skills = report.skills.map((skill) => `${skill.name} (${skill.tags.join(', ')})`);
      return `- ${report.id}: ${report.name}, ${report.description}${skills.length ? `; skills: ${skills.join('; ')}` : ''}`;
    })
    .join('\n');
  return [
    agent.runtime.kind === 'llm' ? agent.runtime.instructions : '',
    `You manage these agents:\n${roster}`,
    'Split the task into subtasks for them, each a self-contained request, or return no subtasks to answer it yourself.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * Asks the agent's model how to split `prompt` among `reports` (structured output, validated),
 * within `budgetAia`, and gives each subtask its budget (see `splitBudget`).
 */
export async function planDelegation(
  llm: Llm,
  agent: Agent & { runtime: { kind: 'llm' } },
  reports: readonly Agent[],
  prompt: string,
  budgetAia: string,
  signal: AbortSignal,
): Promise<Plan> {
  const planned = await llm.generateObject({
    class: agent.runtime.model_class,
    system: planningSystem(agent, reports),
    prompt,
    schema: planSchema(reports),
    schemaName: 'delegation_plan',
    budget: { maxCostAia: budgetAia },
    signal,
  });
  const defaults = planned.object.subtasks.map(
    (subtask) =>
      reports.find((report) => report.id === subtask.agent_id)?.limits.default_budget_aia ?? '0',
  );
  const budgets = splitBudget(budgetAia, planned.cost.aia, defaults);
  return {
    subtasks: planned.object.subtasks.map((subtask, index) => ({
      ...subtask,
      budget_aia: budgets[index] ?? '0',
    })),
    cost_aia: planned.cost.aia,
  };
}
