import type { User } from '@a2a-js/sdk/server';
import type { Principal } from '../types.js';

/**
 * The kit's authenticated caller as the SDK's `User`. `userName` is the token subject, which the
 * SDK's stores (and ours) use as the owner of a task, so a caller sees only its own tasks.
 */
export class PrincipalUser implements User {
  constructor(readonly principal: Principal) {}
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.principal.subject;
  }
}
