import { Artifact, type Task, TaskState } from '@a2a-js/sdk';
import type { Agent } from '../../domain/agent.js';
import { minAia, remainingAia, sumAia } from '../../domain/budget-split.js';
import { budgetOf } from '../../domain/task-budget.js';
import { currentChildrenOf, type DelegationWithChild } from '../../repository/delegations.js';
import { textArtifact, withState } from '../task-states.js';
import type { DelegationDeps } from './delegation-deps.js';

/** What combining decided: the parent's final task, and whether it succeeded. */
export interface Combined {
  readonly task: Task;
  readonly outcome: 'succeeded' | 'failed';
}

/** The text of a child's artifacts (its text parts, and its JSON parts as JSON). */
function textOf(artifacts: readonly unknown[]): string {
  return artifacts
    .flatMap((artifact) => Artifact.fromJSON(artifact).parts)
    .map((part) =>
      part.content?.$case === 'text'
        ? part.content.value
        : part.content?.$case === 'data'
          ? JSON.stringify(part.content.value)
          : '',
    )
    .filter(Boolean)
    .join('\n');
}

const stateName = (state: string) =>
  state.replace('TASK_STATE_', '').toLowerCase().replace('_', '-');

/** Why a child did not complete, in its own words when it gave some. */
function whyEnded(child: DelegationWithChild): string {
  const status = child.status as { message?: { parts?: { text?: string }[] } } | undefined;
  const said = status?.message?.parts?.find((part) => part.text)?.text;
  return `child task ${child.child_task_id} (agent ${child.child_agent_id}) ${stateName(child.state)}${said ? `: ${said}` : ''}`;
}

/**
 * Once every child of `parent` has ended: when all completed, the agent's model writes the
 * answer from their answers (within what is left of the budget after planning and the
 * children's costs), and the parent completes with that answer and every child's artifacts,
 * its cost the sum of all; when one did not, the parent fails naming it and why.
 */
export async function combineChildren(
  deps: DelegationDeps,
  {
    parent,
    agent,
    prompt,
    signal,
  }: { parent: Task; agent: Agent; prompt: string; signal: AbortSignal },
): Promise<Combined> {
  // A failed child that another took over counts as that other one.
  const children = await currentChildrenOf(deps.sql, parent.id);
  const delegation = parent.metadata?.delegation as { plan?: { cost_aia?: string } } | undefined;
  const planCost = delegation?.plan?.cost_aia ?? '0';
  const childCosts = children.map((child) =>
    child.state === 'TASK_STATE_COMPLETED'
      ? minAia((child.metadata.cost as { aia?: string } | undefined)?.aia ?? '0', child.budget_aia)
      : '0',
  );
  const failed = children.filter((child) => child.state !== 'TASK_STATE_COMPLETED');
  if (failed.length > 0) {
    const reason = `${failed.length} of ${children.length} delegated tasks did not complete: ${failed.map(whyEnded).join('; ')}`;
    return {
      task: {
        ...withState(parent, TaskState.TASK_STATE_FAILED, reason),
        metadata: { ...parent.metadata, cost: { aia: sumAia(planCost, ...childCosts) } },
      },
      outcome: 'failed',
    };
  }
  if (agent.runtime.kind !== 'llm')
    throw new Error(`agent ${agent.id} cannot combine: not an LLM agent`);
  const answers = children
    .map(
      (child, index) =>
        `Answer ${index + 1} (agent ${child.child_agent_id}):\n${textOf(child.artifacts)}`,
    )
    .join('\n\n');
  const answer = await deps.llm.generateText({
    class: agent.runtime.model_class,
    system: `${agent.runtime.instructions}\n\nYour reports answered the parts you gave them. Write the final answer to the task from their answers.`,
    prompt: `${prompt}\n\n${answers}`,
    budget: { maxCostAia: remainingAia(budgetOf(parent, agent), planCost, ...childCosts) },
    signal,
  });
  const childArtifacts = children.flatMap((child) =>
    child.artifacts.map((artifact) => {
      const copy = Artifact.fromJSON(artifact);
      return { ...copy, metadata: { ...copy.metadata, from_task_id: child.child_task_id } };
    }),
  );
  return {
    task: {
      ...withState(parent, TaskState.TASK_STATE_COMPLETED),
      artifacts: [textArtifact(answer.text), ...childArtifacts],
      metadata: {
        ...parent.metadata,
        cost: { aia: sumAia(planCost, ...childCosts, answer.cost.aia) },
        model: { provider: answer.provider, model: answer.model, local: answer.local },
        usage: { input: answer.usage.inputTokens, output: answer.usage.outputTokens },
      },
    },
    outcome: 'succeeded',
  };
}
