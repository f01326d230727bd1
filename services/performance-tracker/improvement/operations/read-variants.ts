import { NotFoundError } from '../../../platform/errors.js';
import { evaluationsOf, findEvaluation, taskResultsOf } from '../repository/evaluation-store.js';
import { findVariant, variantsOf } from '../repository/variant-store.js';
import type { ImprovementContext } from './improvement-context.js';

/** An agent's variants, oldest first, each with its evaluation if one was asked for. */
export async function agentVariants(
  { sql }: Pick<ImprovementContext, 'sql'>,
  agentId: string,
  page: { readonly limit: number; readonly after?: string },
) {
  const { variants, more } = await variantsOf(sql, agentId, page);
  const evaluations = await evaluationsOf(
    sql,
    variants.map((variant) => variant.id),
  );
  return {
    variants: variants.map((variant) => ({ variant, evaluation: evaluations.get(variant.id) })),
    next: more ? (variants.at(-1)?.id ?? null) : null,
  };
}

/**
 * A variant with its evaluation and the per-task results, in the order of the benchmark set's
 * tasks (the tasks of the set's current version; results of other tasks follow by id).
 */
export async function variantDetail(
  { sql, benchmarks }: Pick<ImprovementContext, 'sql' | 'benchmarks'>,
  variantId: string,
) {
  const variant = await findVariant(sql, variantId);
  if (!variant) throw new NotFoundError(`no variant ${variantId} is registered`);
  const evaluation = await findEvaluation(sql, variantId);
  const results = evaluation ? await taskResultsOf(sql, variantId) : [];
  const listed = benchmarks.get(variant.skill)?.tasks.map((task) => task.id) ?? [];
  const others = [...new Set(results.map((r) => r.taskId))].filter((id) => !listed.includes(id));
  return { variant, evaluation, results, taskIds: evaluation ? [...listed, ...others] : [] };
}
