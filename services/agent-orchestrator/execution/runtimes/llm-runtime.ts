import type { AgentRuntime } from '../../domain/agent.js';
import { textArtifact } from '../task-states.js';
import type { Runtime, RuntimeDeps } from './runtime.js';

type LlmSettings = Extract<AgentRuntime, { kind: 'llm' }>;

/**
 * A model with the agent's instructions answers the task's prompt through the LLM layer (its
 * routing, fallback and retries), spending at most the task's budget; the answer is one text
 * artifact and the call's cost is the run's.
 */
export const llmRuntime =
  ({ llm }: RuntimeDeps, settings: LlmSettings): Runtime =>
  async ({ prompt, budgetAia, signal }) => {
    const answer = await llm.generateText({
      class: settings.model_class,
      system: settings.instructions,
      prompt,
      budget: { maxCostAia: budgetAia },
      maxSteps: settings.max_steps,
      signal,
    });
    return {
      artifacts: [textArtifact(answer.text)],
      costAia: answer.cost.aia,
      metadata: { model: { provider: answer.provider, model: answer.model, local: answer.local } },
    };
  };
