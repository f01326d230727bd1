import { AppError, ForbiddenError } from '../../platform/errors.js';

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

/**
 * Only the owner of a manager (or an `agents:admin`) places agents under it: otherwise anyone
 * could hang agents below another's and use up the depth its owner plans for, or hand it reports
 * that keep it from being retired.
 */
export function refuseUnlessManagerOwner(
  caller: Caller,
  manager: { id: string; owner: string },
): void {
  if (caller.admin || caller.subject === manager.owner) return;
  throw new AppError(
    403,
    'not_manager_owner',
    `agent ${manager.id} belongs to '${manager.owner}': only its owner or an agents:admin may place agents under it`,
    {
      extensions: { errors: [{ field: 'manager_id', reason: `not owned by '${caller.subject}'` }] },
    },
  );
}
