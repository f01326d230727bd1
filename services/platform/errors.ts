import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem with one field of a request or a configuration. */
export interface FieldIssue {
  /** Dotted path of the field, for example `amount` or `recipients.0.account`. */
  readonly field: string;
  /** Why the value was refused, in words a caller can act on. */
  readonly reason: string;
}

/**
 * The one error type that crosses into HTTP. Domain code throws a subclass;
 * the single `onError` handler renders it as an RFC 9457 problem document.
 */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  /** Short machine-readable code, also the last segment of the problem `type`. */
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: {
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, 'bad_request', message);
  }
}

export class ValidationError extends AppError {
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], message = describeIssues(issues)) {
    super(422, 'validation_failed', message, { extensions: { errors: issues } });
    this.issues = issues;
  }
}

export class UnauthorizedError extends AppError {
  /** `error` is the RFC 6750 code: `invalid_request` or `invalid_token`. */
  constructor(message: string, error: 'invalid_request' | 'invalid_token' | undefined) {
    const challenge = error
      ? `Bearer error="${error}", error_description="${message.replaceAll('"', "'")}"`
      : 'Bearer';
    super(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': challenge } });
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(403, 'forbidden', message, {
      extensions,
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
    });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(409, 'conflict', message, { extensions });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `request body exceeds the limit of ${maxBytes} bytes`, {
      extensions: { maxBytes },
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(received: string | undefined, expected: string) {
    super(
      415,
      'unsupported_media_type',
      `content-type must be ${expected}, received ${received ? `'${received}'` : 'none'}`,
    );
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', `too many requests: retry after ${retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    });
  }
}

export class ServiceUnavailableError extends AppError {
  /** `Retry-After` tells clients and proxies when to try again. Default 1 s. */
  constructor(message: string, retryAfterSeconds = 1) {
    super(503, 'service_unavailable', message, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      extensions: { retryAfterSeconds },
    });
  }
}

export class RequestTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super(504, 'request_timeout', `request did not complete within ${timeoutMs} ms`);
  }
}

/** `amount: must be positive; to: required` */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; ');
}
