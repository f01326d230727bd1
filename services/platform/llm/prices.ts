import type { ModelRoute, ProviderName } from './providers-list.js';
import type { Cost, TokenUsage } from './types.js';

/** USD per million tokens, and the most output tokens the model takes as its limit. */
export interface Price {
  readonly input: number;
  readonly output: number;
  readonly maxOutput?: number;
}

/**
 * List prices of the default routes (USD per million tokens, from the providers' price pages;
 * check them when changing a default). A stack's own models are priced by their provider's
 * highest price here until added: budgets stay conservative, never free.
 */
export const PRICES: Readonly<Record<string, Price>> = {
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6, maxOutput: 32_768 },
  'openai:gpt-4.1': { input: 2, output: 8, maxOutput: 32_768 },
  'openai:text-embedding-3-small': { input: 0.02, output: 0 },
  'anthropic:claude-haiku-4-5': { input: 1, output: 5, maxOutput: 64_000 },
  'anthropic:claude-sonnet-4-5': { input: 3, output: 15, maxOutput: 64_000 },
  'google:gemini-2.5-flash': { input: 0.3, output: 2.5, maxOutput: 65_536 },
  'google:gemini-2.5-pro': { input: 1.25, output: 10, maxOutput: 65_536 },
  'google:gemini-embedding-001': { input: 0.15, output: 0 },
  'groq:llama-3.1-8b-instant': { input: 0.05, output: 0.08, maxOutput: 8_192 },
  'groq:llama-3.3-70b-versatile': { input: 0.59, output: 0.79, maxOutput: 32_768 },
  'azure:gpt-4.1-mini': { input: 0.4, output: 1.6, maxOutput: 32_768 },
  'azure:gpt-4.1': { input: 2, output: 8, maxOutput: 32_768 },
  'azure:text-embedding-3-small': { input: 0.02, output: 0 },
  // Claude 4.5 on Bedrock runs through a cross-region inference profile (`us.`, `eu.`, `apac.`):
  // the bare model id is refused on demand. Other regions route them with LLM_CLASSES.
  'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0': { input: 1, output: 5, maxOutput: 64_000 },
  'bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0': {
    input: 3,
    output: 15,
    maxOutput: 64_000,
  },
  'bedrock:amazon.titan-embed-text-v2:0': { input: 0.02, output: 0 },
  'huggingface:meta-llama/Llama-3.1-8B-Instruct': { input: 0.1, output: 0.1, maxOutput: 8_192 },
  'huggingface:meta-llama/Llama-3.3-70B-Instruct': { input: 0.9, output: 0.9, maxOutput: 8_192 },
};

/** Self-hosted and local models cost nothing per token (their cost is the server's). */
const FREE: ReadonlySet<ProviderName> = new Set(['local', 'openai-compatible']);

/** What a model not in the table may be asked to produce at most, when nothing else caps it. */
export const UNKNOWN_MAX_OUTPUT = 8_192;

/** The price of a route: its own, or its provider's dearest (unknown models are not free). */
export function priceOf(route: ModelRoute): Price {
  if (FREE.has(route.provider)) return { input: 0, output: 0 };
  const own = PRICES[`${route.provider}:${route.model}`];
  if (own) return own;
  const same = Object.entries(PRICES)
    .filter(([name]) => name.startsWith(`${route.provider}:`))
    .map(([, price]) => price);
  return {
    input: Math.max(0, ...same.map((p) => p.input)),
    output: Math.max(0, ...same.map((p) => p.output)),
    maxOutput: UNKNOWN_MAX_OUTPUT,
  };
}

const AIA_DECIMALS = 6;

/** A USD amount in AIA at `aiaPerUsd`, as a decimal string rounded up (never undercharged). */
export function toAia(usd: number, aiaPerUsd: number): string {
  const units = Math.ceil(usd * aiaPerUsd * 10 ** AIA_DECIMALS - 1e-9);
  return (Math.max(0, units) / 10 ** AIA_DECIMALS).toFixed(AIA_DECIMALS);
}

/** What `usage` costs on `route`. */
export function costOf(route: ModelRoute, usage: TokenUsage, aiaPerUsd: number): Cost {
  const price = priceOf(route);
  const usd = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1e6;
  return { usd, aia: toAia(usd, aiaPerUsd) };
}

/** The most output tokens `maxCostAia` leaves after the input, on `route` (Infinity if free). */
export function affordableOutputTokens(
  route: ModelRoute,
  inputTokens: number,
  maxCostAia: number,
  aiaPerUsd: number,
): number {
  const price = priceOf(route);
  const budgetUsd = maxCostAia / aiaPerUsd;
  const left = budgetUsd - (inputTokens * price.input) / 1e6;
  if (left < 0) return -1;
  if (price.output === 0) return Number.POSITIVE_INFINITY;
  return Math.floor((left * 1e6) / price.output);
}
