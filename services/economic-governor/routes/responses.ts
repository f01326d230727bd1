import type { z } from '@hono/zod-openapi';
import { ProblemSchema } from './schemas.js';

/** A JSON response of the OpenAPI document. */
export const jsonResponse = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The refusals every ledger route may answer, as RFC 9457 problem documents. */
export const PROBLEM_RESPONSES = {
  401: problem('Missing or invalid bearer token'),
  403: problem('A required scope is missing, or the caller may not move money out of the account'),
  404: problem('No such account, transfer or stake'),
  409: problem(
    'The state refuses it: overdraft, already resolved, expired, locked, id or Idempotency-Key reused with other content',
  ),
  415: problem('The body is not JSON'),
  422: problem('A field is invalid: each field and the reason are listed'),
} as const;

/** Request body of a write route. */
export const jsonBodyOf = <S extends z.ZodType>(schema: S) => ({
  content: { 'application/json': { schema } },
  required: true,
});
