/**
 * Raised at start when a data store the configuration names cannot be reached: it names the
 * store, the variable that points at it and where (host and port only, never credentials), so a
 * person sees what to start or fix instead of a driver's stack trace. `services/main.ts` exits
 * with 78 for it, as for a ConfigError: starting again as it is would fail the same way.
 *
 * @example
 * throw new DependencyUnavailableError('PostgreSQL', 'DATABASE_URL', error, '127.0.0.1:5432');
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';

  constructor(
    /** `PostgreSQL`, `Redis`... */
    readonly store: string,
    /** The variable that points at it, e.g. `DATABASE_URL`. */
    readonly variable: string,
    override readonly cause: unknown,
    /** `host:port` as configured, when known. */
    readonly address?: string,
  ) {
    const at = address ? ` at ${address}` : '';
    super(`${store} is not reachable${at} (${variable}): ${reasonOf(cause)}`, { cause });
  }
}

/** The driver's message and code, e.g. `connect ECONNREFUSED 127.0.0.1:5432 (ECONNREFUSED)`. */
function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  const message = cause.message || (cause as { errors?: Error[] }).errors?.[0]?.message || 'failed';
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
