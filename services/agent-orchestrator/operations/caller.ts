import { ForbiddenError } from '../../platform/errors.js';

/** Who asks: the token's subject, and whether it holds `agents:admin`. */
export interface Caller {
  readonly subject: string;
  readonly admin: boolean;
}

/** Only an agent's owner (who registered it) or an `agents:admin` changes or retires it. */
export function refuseUnlessOwner(caller: Caller, agent: { id: string; owner: string }): void {
  if (caller.admin || caller.subject === agent.owner) return;
  throw new ForbiddenError(
    `agent ${agent.id} belongs to '${agent.owner}': only its owner or an agents:admin may change it`,
    { errors: [{ field: 'id', reason: `not owned by '${caller.subject}'` }] },
  );
}
