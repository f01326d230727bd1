import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { appErrorFromDatabase } from './database-errors.js';
import { AppError, ValidationError } from './errors.js';
import type { AppEnv } from './types.js';
import { fieldIssuesFromZod } from './zod-issues.js';

const PROBLEM_TYPE_BASE = 'urn:aia:problem:';

/** RFC 9457 problem document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly requestId?: string;
  readonly [extension: string]: unknown;
}

/**
 * The single `onError`: typed errors become problem responses; anything else is logged with its
 * stack and answered with a plain 500 that reveals nothing about the cause.
 */
export const errorHandler: ErrorHandler<AppEnv> = (error, c) => {
  const known = toAppError(error);
  if (known) {
    if (known.status >= 500) c.get('logger')?.error({ err: error }, known.message);
    return problem(c, known);
  }
  const fromDatabase = appErrorFromDatabase(error);
  if (fromDatabase) {
    // A refusal that only the database caught is a validation the service is missing.
    c.get('logger')?.warn({ err: error }, `database refused the request: ${fromDatabase.message}`);
    return problem(c, fromDatabase);
  }
  c.get('logger')?.error({ err: error }, 'unhandled error');
  return problem(c, new AppError(500, 'internal', 'internal server error'));
};

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  problem(c, new AppError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return new ValidationError(fieldIssuesFromZod(error));
  if (error instanceof HTTPException && error.cause instanceof AppError) return error.cause;
  if (error instanceof HTTPException) {
    // Hono's own middleware throws these (for example on malformed JSON); keep their message.
    const status = error.status as ContentfulStatusCode;
    return new AppError(status, codeFor(status), error.message || 'request refused');
  }
  return undefined;
}

function codeFor(status: number): string {
  return status >= 500 ? 'internal' : 'bad_request';
}

function problem(c: Context<AppEnv>, error: AppError): Response {
  const body: Problem = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: titleFor(error.status),
    status: error.status,
    detail: error.message,
    instance: c.req.path,
    requestId: c.get('requestId'),
    ...error.extensions,
  };
  return c.json(body, error.status, {
    ...error.headers,
    'Content-Type': 'application/problem+json',
  });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
