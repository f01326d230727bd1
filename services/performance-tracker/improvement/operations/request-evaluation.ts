import { NotFoundError } from '../../../platform/errors.js';
import { type Evaluation, queueEvaluation } from '../repository/evaluation-store.js';
import { findVariant } from '../repository/variant-store.js';
import type { ImprovementContext } from './improvement-context.js';

/**
 * Queues the evaluation of variant `variantId` against its parent on its skill's current
 * benchmark set. Idempotent: asking again returns the evaluation already queued, running or
 * finished (`created` false). A finished evaluation is final: a new candidate is a new variant.
 */
export async function requestEvaluation(
  { sql, benchmarks }: Pick<ImprovementContext, 'sql' | 'benchmarks'>,
  variantId: string,
): Promise<{ evaluation: Evaluation; created: boolean }> {
  const variant = await findVariant(sql, variantId);
  if (!variant) throw new NotFoundError(`no variant ${variantId} is registered`);
  const set = benchmarks.get(variant.skill);
  if (!set)
    throw new NotFoundError(
      `skill ${variant.skill} of variant ${variantId} no longer has a benchmark set`,
    );
  return queueEvaluation(sql, variantId, set);
}
