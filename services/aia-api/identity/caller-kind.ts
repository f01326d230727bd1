import { ForbiddenError } from '../../platform/errors.js';
import { serviceOf } from '../../platform/service-identity/subjects.js';
import type { Principal } from '../../platform/types.js';
import { ApiKeyPrincipal } from './api-key-principal.js';
import { isClientSubject } from './client-subject.js';

/**
 * Refuses callers that are not a person signed in with a token: machine clients, services, and
 * API keys (a leaked key must not be able to make more keys).
 */
export function requirePerson(principal: Principal | undefined, action: string): Principal {
  if (!principal) throw new ForbiddenError(`${action} needs a caller`);
  if (principal instanceof ApiKeyPrincipal)
    throw new ForbiddenError(`${action} is refused to an API key: sign in with a token`);
  if (isClientSubject(principal.subject) || serviceOf(principal.subject) !== undefined)
    throw new ForbiddenError(`${action} is for people; '${principal.subject}' is a machine`);
  return principal;
}
