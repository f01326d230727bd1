import { BudgetExceededError } from '../../platform/llm/errors.js';
import type { Llm, LlmCall, LlmResultMeta } from '../../platform/llm/types.js';
import { parseAia } from '../domain/aia-amount.js';

/**
 * `llm` (the real layer, answered by the local model) with every text and object call charged
 * `priceAia`, as a priced provider would charge it: refused before the call when the call's
 * `budget.maxCostAia` is below the price, and the answer's `cost.aia` the price otherwise. The
 * local model is free, so tests of what the ledger does with costs need a price.
 */
export function pricedLlm(llm: Llm, priceAia: string): Llm {
  const price = parseAia(priceAia, 'priceAia');
  const check = (call: LlmCall) => {
    const limit = call.budget?.maxCostAia;
    if (limit !== undefined && parseAia(String(limit), 'budget.maxCostAia') < price)
      throw new BudgetExceededError(call.class, String(limit), priceAia);
  };
  const charged = <R extends LlmResultMeta>(result: R): R => ({
    ...result,
    cost: { usd: result.cost.usd, aia: priceAia },
  });
  return {
    generateText: async (call) => {
      check(call);
      return charged(await llm.generateText(call));
    },
    generateObject: async (call) => {
      check(call);
      return charged(await llm.generateObject(call));
    },
    streamText: (call) => llm.streamText(call),
    embed: (call) => llm.embed(call),
    info: () => llm.info(),
  };
}
