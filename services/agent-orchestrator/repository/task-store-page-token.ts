import { RequestMalformedError } from '@a2a-js/sdk/errors';

/** Where a ListTasks page ended: the last task's status time (UTC, microseconds) and id. */
export interface TaskCursor {
  readonly statusAt: string;
  readonly id: string;
}

const STATUS_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** An opaque `nextPageToken` (base64url JSON); callers hand it back unchanged. */
export const encodeTaskCursor = (cursor: TaskCursor): string =>
  Buffer.from(JSON.stringify([cursor.statusAt, cursor.id])).toString('base64url');

/**
 * The cursor in a `pageToken`. A token this store did not write is the caller's mistake:
 * `RequestMalformedError` (JSON-RPC -32602), never a database error.
 */
export function decodeTaskCursor(token: string): TaskCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    STATUS_AT.test(parsed[0]) &&
    typeof parsed[1] === 'string' &&
    parsed[1] !== ''
  ) {
    return { statusAt: parsed[0], id: parsed[1] };
  }
  throw new RequestMalformedError('pageToken: not a token a previous ListTasks returned');
}
