import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { isStorableText } from '../../platform/request-fields.js';

/** Longest tenant, context id and task id the table holds (its check constraints). */
export const MAX_TASK_KEY_LENGTH = 256;

/**
 * Refuses, before any SQL, what `a2a_tasks` cannot hold: keys over {@link MAX_TASK_KEY_LENGTH}
 * and text with NUL or an unpaired UTF-16 surrogate anywhere in the task (jsonb refuses both).
 * Callers choose the context id and the message text, so these are the caller's mistakes:
 * `RequestMalformedError` (JSON-RPC -32602) instead of a database error (500).
 */
export function checkStorable(keys: Readonly<Record<string, string>>, wire: unknown): void {
  for (const [field, value] of Object.entries(keys)) {
    if (value.length > MAX_TASK_KEY_LENGTH)
      throw new RequestMalformedError(`${field}: at most ${MAX_TASK_KEY_LENGTH} characters`);
  }
  const where = unstorableAt(wire, 'task');
  if (where !== undefined)
    throw new RequestMalformedError(
      `${where}: holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`,
    );
}

/** The path of the first string (value or key) that cannot be stored exactly, if any. */
function unstorableAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableAt(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return `${path} (a key)`;
      const found = unstorableAt(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
