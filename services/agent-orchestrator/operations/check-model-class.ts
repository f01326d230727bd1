import { ValidationError } from '../../platform/errors.js';

/**
 * Refuses (422 naming `runtime.model_class`) an `llm` runtime naming a class that `classes`, the
 * text classes the LLM layer serves, does not hold: such an agent could only fail its tasks, each
 * after its retries. Another kind of runtime, or no list (a context without an LLM layer), passes.
 *
 * @example
 * checkModelClass(input.runtime, modelClasses);
 */
export function checkModelClass(
  runtime: { readonly kind: string; readonly model_class?: string },
  classes: readonly string[] | undefined,
): void {
  if (runtime.kind !== 'llm' || classes === undefined || runtime.model_class === undefined) return;
  if (classes.includes(runtime.model_class)) return;
  throw new ValidationError([
    {
      field: 'runtime.model_class',
      reason: `no model class "${runtime.model_class}" answers text here (one of ${classes.join(', ')})`,
    },
  ]);
}
