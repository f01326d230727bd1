import { z } from '@hono/zod-openapi';

/** RFC 9457 problem document, as every error of every service is answered. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:aia:problem:validation_failed' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  })
  .openapi('Problem');

/** A JSON response of an OpenAPI document. */
export const jsonResponse = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A problem response of an OpenAPI document. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/**
 * The refusals a route behind the kit may answer, described for this service's routes by
 * `descriptions` (the kit's defaults otherwise): 401, 403, 404, 409, 415, 422.
 */
export const problemResponses = (descriptions: Partial<Record<ProblemStatus, string>> = {}) => {
  const described = { ...DEFAULT_DESCRIPTIONS, ...descriptions };
  return Object.fromEntries(
    Object.entries(described).map(([status, text]) => [status, problemResponse(text)]),
  ) as Record<ProblemStatus, ReturnType<typeof problemResponse>>;
};

type ProblemStatus = 401 | 403 | 404 | 409 | 415 | 422;

const DEFAULT_DESCRIPTIONS: Record<ProblemStatus, string> = {
  401: 'Missing or invalid bearer token',
  403: 'A required scope is missing',
  404: 'No such resource',
  409: 'The current state refuses it, or an Idempotency-Key was reused with another request',
  415: 'The body is not JSON',
  422: 'A field is invalid: each field and the reason are listed',
};

/** Request body of a write route. */
export const jsonBodyOf = <S extends z.ZodType>(schema: S) => ({
  content: { 'application/json': { schema } },
  required: true,
});

/** The optional `Idempotency-Key` header of a write route (see `runIdempotently`). */
export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, 'must be at most 255 characters')
    .optional()
    .openapi({
      // Hono reads headers lower-cased; HTTP header names are case-insensitive.
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Retries with the same key and body replay the first response; another body is a 409',
    }),
});
