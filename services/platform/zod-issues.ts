import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** Turns zod issues into `{ field, reason }` pairs with a reason a person can act on. */
export function fieldIssuesFromZod(error: z.ZodError, rootName = '(body)'): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : rootName,
    reason: reasonOf(issue),
  }));
}

function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required (expected ${issue.expected})`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}
