import type { AgentToolName } from './tools.js';

/** Whether an agent takes tasks and reports: a retired agent does neither, and stays on record. */
export type AgentStatus = 'active' | 'retired';

/** One ability of an agent, as its A2A card lists it. */
export interface AgentSkill {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly examples: readonly string[];
}

/**
 * How an agent runs a task: a model with instructions (through the LLM layer), one of the
 * platform's tools, or an A2A agent elsewhere, called through its card.
 */
export type AgentRuntime =
  | {
      readonly kind: 'llm';
      readonly model_class: string;
      readonly instructions: string;
      readonly max_steps: number;
      /** Platform tools the model may call; absent on agents registered before tools existed. */
      readonly tools?: readonly AgentToolName[];
    }
  | { readonly kind: 'tool'; readonly tool: AgentToolName }
  | { readonly kind: 'remote'; readonly card_url: string };

/** Tasks an agent runs at once, and the AIA a task gets when its sender names no budget. */
export interface AgentLimits {
  readonly concurrency: number;
  /** Decimal string of AIA, never a float. */
  readonly default_budget_aia: string;
}

/** An agent as the registry holds it. */
export interface Agent {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly skills: readonly AgentSkill[];
  readonly input_modes: readonly string[];
  readonly output_modes: readonly string[];
  readonly runtime: AgentRuntime;
  readonly limits: AgentLimits;
  readonly manager_id: string | null;
  readonly ledger_account_id: string;
  readonly status: AgentStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly retired_at: string | null;
}
