import { BudgetExceededError } from './errors.js';
import { affordableOutputTokens, priceOf, toAia } from './prices.js';
import type { ModelRoute } from './providers-list.js';
import type { Budget } from './types.js';

/** A route the budget allows, with the output limit it leaves. */
export interface BudgetedRoute {
  readonly route: ModelRoute;
  /** Sent as the provider's output limit; undefined when neither budget nor caller set one. */
  readonly maxOutputTokens?: number;
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

/**
 * The routes whose worst case fits the budget, each with the output limit that keeps it inside:
 * the caller's `maxOutputTokens`, lowered to what `maxCostAia` leaves after the input. Refuses
 * the call (nothing sent) when no route fits.
 */
export function budgetRoutes(
  modelClass: string,
  routes: readonly ModelRoute[],
  budget: Budget | undefined,
  inputTokens: number,
  aiaPerUsd: number,
): BudgetedRoute[] {
  const cap = budget?.maxOutputTokens;
  if (budget?.maxCostAia === undefined)
    return routes.map((route) => ({ route, maxOutputTokens: cap }));
  const maxCost = Number(budget.maxCostAia);
  const fitting: BudgetedRoute[] = [];
  for (const route of routes) {
    const affordable = affordableOutputTokens(route, inputTokens, maxCost, aiaPerUsd);
    if (affordable < 1) continue;
    const limit = Math.min(cap ?? Number.POSITIVE_INFINITY, affordable);
    fitting.push({ route, maxOutputTokens: Number.isFinite(limit) ? limit : undefined });
  }
  if (fitting.length > 0) return fitting;
  const cheapest = Math.min(
    ...routes.map((route) => {
      const price = priceOf(route);
      return (inputTokens * price.input + (cap ?? 1) * price.output) / 1e6;
    }),
  );
  throw new BudgetExceededError(modelClass, String(budget.maxCostAia), toAia(cheapest, aiaPerUsd));
}

/** Budgets for embeddings: input only. */
export function budgetEmbeddingRoutes(
  modelClass: string,
  routes: readonly ModelRoute[],
  budget: Budget | undefined,
  inputTokens: number,
  aiaPerUsd: number,
): BudgetedRoute[] {
  if (budget?.maxCostAia === undefined) return routes.map((route) => ({ route }));
  const maxCost = Number(budget.maxCostAia);
  const fitting = routes.filter(
    (route) => affordableOutputTokens(route, inputTokens, maxCost, aiaPerUsd) >= 0,
  );
  if (fitting.length > 0) return fitting.map((route) => ({ route }));
  const cheapest = Math.min(...routes.map((route) => (inputTokens * priceOf(route).input) / 1e6));
  throw new BudgetExceededError(modelClass, String(budget.maxCostAia), toAia(cheapest, aiaPerUsd));
}
