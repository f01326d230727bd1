import { ForbiddenError } from '../../platform/errors.js';
import type { Principal } from '../../platform/types.js';

/**
 * Refuses to give away what the giver does not have: every scope of `requested` must be among
 * the caller's own (a 403 naming the others).
 */
export function requireHeldScopes(
  caller: Principal,
  requested: Iterable<string>,
  what: string,
): void {
  const excess = [...new Set(requested)].filter((scope) => !caller.scopes.has(scope));
  if (excess.length > 0)
    throw new ForbiddenError(
      `${what} may not hold scope(s) its creator does not: ${excess.sort().join(', ')}`,
      { refusedScopes: excess },
    );
}
