import postgres from 'postgres';
import {
  type AppError,
  ConflictError,
  ServiceUnavailableError,
  ValidationError,
} from './errors.js';

/**
 * Codes that mean "PostgreSQL cannot be used right now", whatever the statement: the driver's
 * own (postgres.js), the socket's, and PostgreSQL's (class 08 connection exceptions, shutdown,
 * startup, too many connections).
 */
const UNAVAILABLE = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * neo4j-driver's codes for a graph it cannot reach or lost: a Neo4j outage is an outage too, so
 * an event consumer waits it out instead of dead-lettering, and a request gets 503.
 */
const GRAPH_UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired']);

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : '';

/** Whether `error` says PostgreSQL is unreachable or going away, not that the statement is wrong. */
export function isPostgresUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  return UNAVAILABLE.has(code) || code.startsWith('08');
}

/** Whether `error` says a database (PostgreSQL, or Neo4j) is unreachable, not that the statement is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isPostgresUnavailable(error) || GRAPH_UNAVAILABLE.has(codeOf(error));
}

/** Seconds a client is asked to wait after a 503 for an unavailable database. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * The 4xx or 503 a database error stands for, or undefined for one that is a server fault. A
 * value the database refuses (class 22 data exceptions, class 23 integrity violations) means a
 * request got past validation it should not have: the caller still gets a 4xx naming the column
 * when PostgreSQL names one, and the error handler logs it so the missing check gets added.
 */
export function appErrorFromDatabase(error: unknown): AppError | undefined {
  if (isDatabaseUnavailable(error)) {
    return new ServiceUnavailableError(
      'the database is unavailable; nothing is known to have changed unless a resend with the same id or Idempotency-Key says so',
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }
  if (!(error instanceof postgres.PostgresError)) return undefined;
  const field = fieldOf(error);
  if (error.code === '23505') return new ConflictError(`${field} already exists`);
  if (error.code === '23502') return new ValidationError([{ field, reason: 'required' }]);
  if (error.code === '23503') {
    return new ValidationError([{ field, reason: 'refers to something that does not exist' }]);
  }
  if (error.code.startsWith('22') || error.code.startsWith('23')) {
    return new ValidationError([
      { field, reason: 'is not a value the store accepts (out of range or not well formed)' },
    ]);
  }
  return undefined;
}

/**
 * The column PostgreSQL names: in the error, in a key's detail (`Key (id)=(…) already exists`;
 * the value is not repeated), or in a `<table>_<column>_check` constraint's name.
 */
function fieldOf(error: postgres.PostgresError): string {
  if (error.column_name) return error.column_name;
  const key = /^Key \(([^)]+)\)=/.exec(error.detail ?? '');
  if (key?.[1]) return key[1];
  const constraint = error.constraint_name ?? '';
  const prefix = `${error.table_name ?? ''}_`;
  const match = /^(.+)_(check|key|fkey|not_null)$/.exec(
    constraint.startsWith(prefix) ? constraint.slice(prefix.length) : constraint,
  );
  return match?.[1] ?? '(body)';
}
