import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from './errors.js';
import { fieldIssuesFromZod } from './zod-issues.js';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** A 415 unless the request says its body is JSON (`application/json` or `application/*+json`). */
export function assertJsonContentType(contentType: string | undefined): void {
  const mediaType = contentType?.split(';')[0]?.trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new UnsupportedMediaTypeError(contentType, 'application/json');
  }
}

/** Middleware form of `assertJsonContentType`, for routes whose body another validator reads. */
export const requireJsonBody = (): MiddlewareHandler =>
  async function requireJsonBody(c, next) {
    assertJsonContentType(c.req.header('Content-Type'));
    await next();
  };

/** For routes whose body is optional: a request without one passes, one with a body must be JSON. */
export const requireJsonBodyIfAny = (): MiddlewareHandler =>
  async function requireJsonBodyIfAny(c, next) {
    const length = c.req.header('Content-Length');
    const hasBody =
      c.req.header('Content-Type') !== undefined ||
      c.req.header('Transfer-Encoding') !== undefined ||
      (length !== undefined && length !== '0');
    if (hasBody) assertJsonContentType(c.req.header('Content-Type'));
    await next();
  };

/**
 * Validates a JSON request body with `schema`: a wrong content type is a 415, malformed JSON a
 * 400 and a schema violation a 422 naming each field and the reason. The parsed value is
 * available as `c.req.valid('json')`.
 */
export const jsonBody = <S extends z.ZodType>(schema: S) =>
  validator('json', (value, c): z.output<S> => {
    assertJsonContentType(c.req.header('Content-Type'));
    return parseOrThrow(schema, value, '(body)');
  });

/** Validates the query string; available as `c.req.valid('query')`. */
export const queryParams = <S extends z.ZodType>(schema: S) =>
  validator('query', (value): z.output<S> => parseOrThrow(schema, value, '(query)'));

/** Validates path parameters; available as `c.req.valid('param')`. */
export const pathParams = <S extends z.ZodType>(schema: S) =>
  validator('param', (value): z.output<S> => parseOrThrow(schema, value, '(path)'));

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldIssuesFromZod(result.error, root));
  return result.data;
}
