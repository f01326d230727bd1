import { BudgetExceededError, InvalidBudgetError } from './errors.js';
import { priceOf, toAia } from './prices.js';
import type { ModelRoute } from './providers-list.js';
import type { Budget } from './types.js';

/** A call's budget in the layer's terms, checked once when the call starts. */
export interface CallBudget {
  readonly modelClass: string;
  /** The caller's `maxCostAia`, as given (for messages). */
  readonly maxCostAia?: string;
  readonly maxCostUsd?: number;
  readonly maxOutputTokens?: number;
  /** Estimated high: see {@link estimateInputTokens}. */
  readonly inputTokens: number;
  /** Model calls the operation may make (tool loops resend the conversation at each step). */
  readonly steps: number;
  /** Embeddings: no output tokens. */
  readonly embeddings: boolean;
  readonly aiaPerUsd: number;
}

/**
 * Input tokens a prompt may take, erring high (3 characters a token, where English averages about
 * 4): the check must refuse what could go over, not what would on average.
 */
export const estimateInputTokens = (...parts: readonly unknown[]): number =>
  Math.ceil(
    parts
      .filter((part) => part !== undefined)
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('').length / 3,
  );

/** Reads a call's budget; a value that is not a finite, non-negative number is refused. */
export function callBudget(
  modelClass: string,
  budget: Budget | undefined,
  shape: Pick<CallBudget, 'inputTokens' | 'steps' | 'embeddings' | 'aiaPerUsd'>,
): CallBudget {
  const cost = budget?.maxCostAia;
  const maxCost = cost === undefined ? undefined : Number(cost);
  if (
    maxCost !== undefined &&
    (!Number.isFinite(maxCost) || maxCost < 0 || String(cost).trim() === '')
  )
    throw new InvalidBudgetError(
      'budget.maxCostAia',
      `expected a non-negative amount of AIA, got "${cost}"`,
    );
  const tokens = budget?.maxOutputTokens;
  if (tokens !== undefined && (!Number.isInteger(tokens) || tokens < 1))
    throw new InvalidBudgetError(
      'budget.maxOutputTokens',
      `expected a whole number of at least 1, got ${tokens}`,
    );
  return {
    modelClass,
    maxCostAia: cost === undefined ? undefined : String(cost),
    maxCostUsd: maxCost === undefined ? undefined : maxCost / shape.aiaPerUsd,
    maxOutputTokens: tokens,
    ...shape,
  };
}

/**
 * What `route` may be sent within the budget after `spentUsd` went on earlier attempts: its output
 * limit (the caller's, the model's maximum, and what the money left allows at this route's
 * prices over every step), or undefined when even the input would not fit.
 */
export function limitFor(
  route: ModelRoute,
  budget: CallBudget,
  spentUsd: number,
): { maxOutputTokens?: number } | undefined {
  const price = priceOf(route);
  const cap = Math.min(
    budget.maxOutputTokens ?? Number.POSITIVE_INFINITY,
    price.maxOutput ?? Number.POSITIVE_INFINITY,
  );
  const finite = (limit: number) => (Number.isFinite(limit) ? limit : undefined);
  if (budget.embeddings && budget.maxCostUsd === undefined) return {};
  if (budget.maxCostUsd === undefined) return { maxOutputTokens: finite(cap) };
  const left =
    budget.maxCostUsd - spentUsd - (budget.steps * budget.inputTokens * price.input) / 1e6;
  if (left < 0) return undefined;
  if (budget.embeddings) return {};
  const affordable =
    price.output === 0
      ? Number.POSITIVE_INFINITY
      : Math.floor((left * 1e6) / (budget.steps * price.output));
  if (affordable < 1) return undefined;
  return { maxOutputTokens: finite(Math.min(cap, affordable)) };
}

/** Refuses the call (nothing sent) when no route's worst case fits its budget. */
export function refuseUnaffordable(routes: readonly ModelRoute[], budget: CallBudget): void {
  if (budget.maxCostUsd === undefined) return;
  if (routes.some((route) => limitFor(route, budget, 0))) return;
  const cheapest = Math.min(
    ...routes.map((route) => {
      const price = priceOf(route);
      const output = budget.embeddings ? 0 : (budget.maxOutputTokens ?? 1) * price.output;
      return (budget.steps * (budget.inputTokens * price.input + output)) / 1e6;
    }),
  );
  throw new BudgetExceededError(
    budget.modelClass,
    budget.maxCostAia ?? '0',
    toAia(cheapest, budget.aiaPerUsd),
  );
}
