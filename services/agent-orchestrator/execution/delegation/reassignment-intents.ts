import type { Database } from '../../../platform/db.js';
import { inTransaction } from '../../../platform/transactions.js';

/** A replacement chosen for a subtask's attempt, recorded on the parent before it is funded. */
export interface ReassignmentIntent {
  readonly id: string;
  readonly agent_id: string;
}

/**
 * Records `intent` on task `parentId` (`metadata.delegation.reassignments`, by the replacement's
 * id) unless one with that id is there: the recorded one is answered. Undefined when the parent
 * has ended or is no longer working.
 */
export async function recordIntent(
  sql: Database,
  parentId: string,
  intent: ReassignmentIntent,
): Promise<ReassignmentIntent | undefined> {
  return inTransaction(sql, async (tx) => {
    const [row] = await tx<{ state: string; intents: Record<string, ReassignmentIntent> | null }[]>`
      select state, metadata #> '{delegation,reassignments}' as intents
      from a2a_tasks where id = ${parentId} for update`;
    if (row?.state !== 'TASK_STATE_WORKING') return undefined;
    const recorded = row.intents?.[intent.id];
    if (recorded) return recorded;
    await tx`
      update a2a_tasks
      set metadata = jsonb_set(metadata, '{delegation,reassignments}',
                               coalesce(metadata #> '{delegation,reassignments}', '{}'::jsonb)
                                 || ${tx.json({ [intent.id]: intent } as never)}),
          updated_at = now()
      where id = ${parentId}`;
    return intent;
  });
}

/** The reassignment intents recorded on a task (their reservations' ids are the intents' ids). */
export const intentsOf = (metadata: Record<string, unknown> | undefined): ReassignmentIntent[] =>
  Object.values(
    ((metadata?.delegation as { reassignments?: Record<string, ReassignmentIntent> } | undefined)
      ?.reassignments ?? {}) as Record<string, ReassignmentIntent>,
  );
