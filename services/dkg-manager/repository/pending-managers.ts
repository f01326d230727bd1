import type { Database } from '../../platform/db.js';

/** An agent waiting to be joined to its manager by a MANAGES edge. */
export interface PendingManager {
  readonly agent_id: string;
  readonly manager_id: string;
}

/** Every agent waiting for its manager, oldest first (few: records out of order). */
export async function pendingManagers(tx: Database): Promise<PendingManager[]> {
  return tx<PendingManager[]>`
    select agent_id, manager_id from dkg_pending_managers order by since, agent_id`;
}

/** Records that `agentId` waits for `managerId` (replacing what it waited for). */
export async function savePendingManager(
  tx: Database,
  agentId: string,
  managerId: string,
): Promise<void> {
  await tx`
    insert into dkg_pending_managers (agent_id, manager_id) values (${agentId}, ${managerId})
    on conflict (agent_id) do update set manager_id = excluded.manager_id,
      since = case when dkg_pending_managers.manager_id = excluded.manager_id
                   then dkg_pending_managers.since else now() end`;
}

/** Forgets what the agents waited for (joined, or no manager any more). */
export async function dropPendingManagers(
  tx: Database,
  agentIds: readonly string[],
): Promise<void> {
  if (agentIds.length === 0) return;
  await tx`delete from dkg_pending_managers where agent_id = any(${[...agentIds]}::text[])`;
}
