import type { ModelMessage, ToolSet } from 'ai';
import type { z } from 'zod';
import type { ModelClass } from './classes.js';
import type { ProviderName } from './providers-list.js';

/** What a call may spend: refused before it is sent when its worst case is over. */
export interface Budget {
  /** The most output tokens the model may produce (sent to the provider as its limit). */
  readonly maxOutputTokens?: number;
  /** The most the call may cost, in AIA (decimal string or number). */
  readonly maxCostAia?: string | number;
}

/** One call: a class, a prompt (or messages), and what the caller allows it. */
export interface LlmCall {
  readonly class: ModelClass;
  readonly system?: string;
  readonly prompt?: string;
  readonly messages?: ModelMessage[];
  readonly budget?: Budget;
  /** Aborting it stops the upstream request (and every fallback). */
  readonly signal?: AbortSignal;
  /** The whole call's limit, every route and retry included; LLM_CALL_TIMEOUT_MS by default. */
  readonly timeoutMs?: number;
  readonly temperature?: number;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What a call cost: priced from the model's table in USD, converted at LLM_AIA_PER_USD. */
export interface Cost {
  readonly usd: number;
  /** Decimal string with 6 places, what a ledger transfer would charge. */
  readonly aia: string;
}

/** One try of one route, in the order they happened. */
export interface Attempt {
  readonly provider: ProviderName;
  readonly model: string;
  readonly outcome:
    | 'ok'
    | 'error'
    | 'timeout'
    | 'rate_limited'
    | 'refused'
    | 'circuit_open'
    | 'over_budget';
  readonly status?: number;
}

/** What every successful call returns beside its content. */
export interface LlmResultMeta {
  readonly provider: ProviderName;
  readonly model: string;
  /** True when the deterministic local model answered: its content is synthetic. */
  readonly local: boolean;
  readonly usage: TokenUsage;
  readonly cost: Cost;
  readonly attempts: readonly Attempt[];
}

export interface TextResult extends LlmResultMeta {
  readonly text: string;
  readonly toolCalls: readonly { toolName: string; input: unknown }[];
}

export interface ObjectResult<T> extends LlmResultMeta {
  readonly object: T;
}

export interface StreamResult {
  /** Text as it arrives; fallback happens only before the first chunk. */
  readonly textStream: AsyncIterable<string>;
  /** Settles when the stream ends. */
  readonly result: Promise<TextResult>;
}

export interface EmbedResult extends LlmResultMeta {
  readonly embeddings: number[][];
}

/** What `/info` shows: providers on, classes and their enabled routes; never a key. */
export interface LlmInfo {
  readonly providers: readonly ProviderName[];
  readonly classes: Readonly<Record<string, readonly string[]>>;
  /** True when the deterministic local model serves at least one class. */
  readonly local: boolean;
}

/** The LLM layer a service gets in its module context. */
export interface Llm {
  generateText(call: LlmCall & { tools?: ToolSet; maxSteps?: number }): Promise<TextResult>;
  streamText(call: LlmCall): StreamResult;
  generateObject<S extends z.ZodType>(
    call: LlmCall & { schema: S; schemaName?: string },
  ): Promise<ObjectResult<z.output<S>>>;
  embed(
    call: Omit<LlmCall, 'prompt' | 'messages' | 'system'> & { values: string[] },
  ): Promise<EmbedResult>;
  info(): LlmInfo;
}
