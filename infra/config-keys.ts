import type { z } from 'zod';
import type { ConfigProblem } from './config-secrets.js';

/** Edit distance between two words: insertions, deletions, substitutions, swapped neighbours. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known name `word` was probably meant to be: same letters in another case, or a typo away. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameLetters = known.find((name) => name.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const ranked = known
    .map((name) => ({ name, distance: distance(lower, name.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= Math.max(1, Math.floor(word.length / 3)))
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.name;
}

/**
 * Keys of `namespace` that the program does not read. Pulumi passes every key of the stack file
 * to the program and never complains about one it does not know, so a misspelled key would be
 * ignored and its default used instead.
 */
export function unknownKeyProblems(
  config: Readonly<Record<string, string>>,
  namespace: string,
  known: readonly string[],
): ConfigProblem[] {
  const prefix = `${namespace}:`;
  return Object.keys(config)
    .filter((key) => key.startsWith(prefix) && !known.includes(key.slice(prefix.length)))
    .sort()
    .map((key) => {
      const meant = closest(key.slice(prefix.length), known);
      const rm = `pulumi config rm ${key}`;
      return {
        key,
        reason: meant
          ? `unknown key, ignored by the program; did you mean ${prefix}${meant}? ${rm}, then pulumi config set ${prefix}${meant} <value>`
          : `unknown key, ignored by the program (known keys: ${known.join(', ')}): ${rm}`,
      };
    });
}

/** The fields of the object `path` leads to inside `schema`, when it is an object. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    const def = s?.def as { innerType?: z.ZodType; in?: z.ZodType } | undefined;
    return def?.innerType ? unwrap(def.innerType) : def?.in ? unwrap(def.in) : s;
  };
  for (const segment of path) {
    const def = unwrap(current)?.def as
      | {
          type: string;
          shape?: Record<string, z.ZodType>;
          valueType?: z.ZodType;
          element?: z.ZodType;
        }
      | undefined;
    if (def?.type === 'object') current = def.shape?.[String(segment)];
    else if (def?.type === 'record') current = def.valueType;
    else if (def?.type === 'array') current = def.element;
    else return [];
  }
  const def = unwrap(current)?.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** The sentence for keys inside a structured value that its schema does not have. */
export function unrecognizedFieldsReason(
  keys: readonly string[],
  fields: readonly string[],
): string {
  return keys
    .map((key) => {
      const meant = closest(key, fields);
      const hint = meant ? `did you mean "${meant}"?` : `expected one of ${fields.join(', ')}`;
      return `unknown field "${key}" (${hint}): correct or remove it in the stack file`;
    })
    .join('; ');
}
