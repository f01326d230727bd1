import type { Database } from './db.js';

/**
 * Errors after which the whole transaction may simply run again: a unique violation (another
 * transaction committed the same transfer id or resolved the same pending transfer first; the
 * rerun sees it), a serialization failure, a deadlock.
 */
const RETRYABLE = new Set(['23505', '40001', '40P01']);

const isRetryable = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  RETRYABLE.has(String((error as { code?: unknown }).code));

/** Runs `work` in a transaction, again from the start (up to `attempts` times) after a race. */
export async function inTransaction<T>(
  sql: Database,
  work: (tx: Database) => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin((tx) => work(tx as unknown as Database))) as T;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
    }
  }
}
