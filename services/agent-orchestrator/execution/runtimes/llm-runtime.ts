import { type ToolSet, tool } from 'ai';
import { z } from 'zod';
import type { AgentRuntime } from '../../domain/agent.js';
import { sumAia } from '../../domain/budget-split.js';
import { AGENT_TOOLS } from '../../domain/tools.js';
import { textArtifact } from '../task-states.js';
import type { Runtime, RuntimeDeps, RuntimeRun } from './runtime.js';
import { toolRuntimes } from './tool-runtimes.js';

type LlmSettings = Extract<AgentRuntime, { kind: 'llm' }>;

/**
 * The agent's platform tools as the model's tools: each takes a request in words and answers
 * what the tool agent would (its artifacts' content); what they cost is added to `spent`.
 */
function platformTools(
  deps: RuntimeDeps,
  settings: LlmSettings,
  run: RuntimeRun,
  spent: string[],
): ToolSet {
  const runtimes = toolRuntimes(deps);
  return Object.fromEntries(
    (settings.tools ?? []).map((name) => [
      name.replaceAll('-', '_'),
      tool({
        description: AGENT_TOOLS[name],
        inputSchema: z.object({ request: z.string().min(1).max(4_000) }),
        execute: async ({ request }) => {
          const answer = await runtimes[name]({ ...run, prompt: request });
          spent.push(answer.costAia);
          return answer.artifacts.flatMap((artifact) =>
            artifact.parts.map((part) =>
              part.content?.$case === 'text' || part.content?.$case === 'data'
                ? part.content.value
                : null,
            ),
          );
        },
      }),
    ]),
  );
}

/**
 * A model with the agent's instructions answers the task's prompt through the LLM layer (its
 * routing, fallback and retries), spending at most the task's budget, calling the agent's
 * platform tools for up to `max_steps` steps; the answer is one text artifact and the run's cost
 * the model's plus the tools'.
 */
export const llmRuntime =
  (deps: RuntimeDeps, settings: LlmSettings): Runtime =>
  async (run) => {
    const spent: string[] = [];
    const tools = platformTools(deps, settings, run, spent);
    const answer = await deps.llm.generateText({
      class: settings.model_class,
      system: settings.instructions,
      prompt: run.prompt,
      budget: { maxCostAia: run.budgetAia },
      maxSteps: settings.max_steps,
      signal: run.signal,
      ...(Object.keys(tools).length > 0 && { tools }),
    });
    return {
      artifacts: [textArtifact(answer.text)],
      costAia: spent.length === 0 ? answer.cost.aia : sumAia(answer.cost.aia, ...spent),
      metadata: {
        model: { provider: answer.provider, model: answer.model, local: answer.local },
        usage: { input: answer.usage.inputTokens, output: answer.usage.outputTokens },
        ...(answer.toolCalls.length > 0 && {
          tool_calls: answer.toolCalls.map((call) => call.toolName),
        }),
      },
    };
  };
