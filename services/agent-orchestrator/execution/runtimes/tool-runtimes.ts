import { z } from 'zod';
import type { AgentToolName } from '../../domain/tools.js';
import { dataArtifact, textArtifact } from '../task-states.js';
import { knowledgeGraphTool } from './knowledge-graph-tool.js';
import type { RuntimeAnswer, RuntimeDeps, RuntimeRun } from './runtime.js';
import { ventureDiscoveryTool } from './venture-discovery-tool.js';

/** What the `structured-report` tool writes. */
export const ReportSchema = z.object({
  title: z.string().min(1).max(200),
  summary: z.string().min(1).max(4_000),
  sections: z
    .array(z.object({ heading: z.string().min(1).max(200), body: z.string().min(1).max(8_000) }))
    .min(1)
    .max(12),
});

/** A tool's runtime: it always answers (a tool never asks its sender for more). */
export type ToolRuntime = (run: RuntimeRun) => Promise<RuntimeAnswer>;

/** Each tool of `AGENT_TOOLS` as a runtime. */
export const toolRuntimes = (deps: RuntimeDeps): Record<AgentToolName, ToolRuntime> => ({
  echo: async ({ prompt }) => ({ artifacts: [textArtifact(prompt)], costAia: '0' }),

  'knowledge-graph': (run) => knowledgeGraphTool(deps, run),

  'ledger-balance': async ({ agent, signal }) => {
    const account = await deps.governor.account(agent.ledger_account_id, { signal });
    return { artifacts: [dataArtifact('ledger-account', account)], costAia: '0' };
  },

  'structured-report': async ({ prompt, budgetAia, signal }) => {
    const report = await deps.llm.generateObject({
      class: 'fast',
      system:
        'Write a structured report about the request: a title, a short summary, and sections.',
      prompt,
      schema: ReportSchema,
      schemaName: 'report',
      budget: { maxCostAia: budgetAia },
      signal,
    });
    return {
      artifacts: [dataArtifact('report', report.object)],
      costAia: report.cost.aia,
      metadata: { model: { provider: report.provider, model: report.model, local: report.local } },
    };
  },

  'venture-discovery': (run) => ventureDiscoveryTool(deps, run),
});
