import { z } from '@hono/zod-openapi';

/**
 * NUL (PostgreSQL text cannot hold it) or a UTF-16 surrogate standing alone (JSON can spell it,
 * `"\ud800"`, but it is not Unicode: PostgreSQL refuses it in `jsonb` and Node replaces it with
 * U+FFFD when it encodes UTF-8, so it would be stored altered).
 */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** Whether `text` can be stored and returned exactly: no NUL, no unpaired surrogate. */
export const isStorableText = (text: string): boolean =>
  !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);

export interface TextFieldOptions {
  /** Fewest characters (UTF-16 code units, as PostgreSQL's `length` on valid text). Default 0. */
  readonly min?: number;
  /** Most characters; match the column's check constraint. */
  readonly max: number;
}

/**
 * A free-text request field every service stores: bounded, and refused (422 naming the field)
 * when it holds a character the database cannot store exactly, instead of a 500 or an altered
 * value. An empty string is a value, not "absent": set `min: 1` where empty means nothing.
 *
 * @example
 * const memo = textField({ max: 256 }).optional();
 * const owner = textField({ min: 1, max: 256 });
 */
export function textField({ min = 0, max }: TextFieldOptions) {
  const sized = z.string().max(max, `must be at most ${max} characters`);
  const bounded =
    min > 0
      ? sized.min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
      : sized;
  return bounded.refine(
    isStorableText,
    'must not contain NUL or an unpaired UTF-16 surrogate (\\ud800-\\udfff)',
  );
}

export interface IntegerParamOptions {
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}

/**
 * An integer in a query string: decimal digits only. `z.coerce.number()` would also take `0x10`,
 * `1e2`, ` 7 ` and `Infinity`, none of which a client means as a page size.
 *
 * @example
 * const PageQuery = z.object({ limit: integerParam({ min: 1, max: 500, default: 50 }) });
 */
export function integerParam({ min, max, default: fallback }: IntegerParamOptions) {
  const digits = String(max).length;
  const parsed = z
    .string()
    .regex(new RegExp(`^\\d{1,${digits}}$`), `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );
  return fallback === undefined ? parsed : parsed.optional().transform((n) => n ?? fallback);
}
