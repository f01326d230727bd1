import { A2A_ERROR_CODE, toJsonRpcError } from '@a2a-js/sdk/errors';
import type { Logger } from 'pino';

export type JsonRpcId = string | number | null;

export interface JsonRpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** A JSON-RPC 2.0 error response. */
export const errorResponse = (id: JsonRpcId, error: JsonRpcError) => ({
  jsonrpc: '2.0' as const,
  id,
  error,
});

/**
 * `toJsonRpcError`, except for errors that are not the SDK's A2A errors: the SDK would send
 * their message (a database error, a refused save) to the caller. Those are logged and answered
 * with a bare internal error.
 */
export function safeJsonRpcError(error: unknown, logger: Logger | undefined): JsonRpcError {
  return redacted(toJsonRpcError(error), logger, error);
}

/**
 * An error the SDK's transport already mapped: an internal error without A2A details (`data`)
 * came from a plain exception, whose message stays in the log.
 */
export function redacted(error: JsonRpcError, logger: Logger | undefined, cause?: unknown) {
  if (error.code !== A2A_ERROR_CODE.INTERNAL_ERROR || error.data !== undefined) return error;
  logger?.error({ err: cause ?? new Error(error.message) }, 'A2A request failed');
  return { code: A2A_ERROR_CODE.INTERNAL_ERROR, message: 'internal error' };
}
