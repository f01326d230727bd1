import type { Database } from '../../platform/db.js';

/** One task of a delegation tree, as stored: its place, state, budget, cost and reservation. */
export interface TaskTreeRow {
  readonly id: string;
  readonly parent_task_id: string | null;
  readonly depth: number;
  readonly agent_id: string | null;
  readonly owner: string;
  readonly state: string;
  readonly status_message: string | null;
  readonly replaced_by: string | null;
  readonly budget_aia: string | null;
  readonly cost_aia: string | null;
  readonly reservation_id: string | null;
  readonly reserved_aia: string | null;
  readonly settlement: 'posted' | 'voided' | 'expired' | null;
  readonly settled_aia: string | null;
  readonly deadline_at: Date | null;
  readonly updated_at: Date;
}

/** The most tasks one tree answer holds (a tree deeper or wider than this is cut). */
export const MAX_TREE_TASKS = 1_000;

/** Task `rootId` and every task delegated below it, parents before children. */
export function taskTreeRows(sql: Database, rootId: string): Promise<TaskTreeRow[]> {
  return sql<TaskTreeRow[]>`
    with recursive tree (id, parent_task_id, depth, position) as (
      select ${rootId}::text, null::text, 0, 0
      union all
      select d.child_task_id, d.parent_task_id, tree.depth + 1, d.position
      from task_delegations d join tree on d.parent_task_id = tree.id
    )
    select t.id, tree.parent_task_id, tree.depth, t.agent_id, t.owner,
           replace(lower(replace(t.state, 'TASK_STATE_', '')), '_', '-') as state,
           t.status #>> '{message,parts,0,text}' as status_message, d.replaced_by,
           t.metadata ->> 'budget_aia' as budget_aia,
           t.metadata #>> '{cost,aia}' as cost_aia,
           d.reservation_id, trim_scale(d.budget_aia)::text as reserved_aia, d.settlement,
           trim_scale(d.settled_aia)::text as settled_aia, t.deadline_at, t.updated_at
    from tree
    join a2a_tasks t on t.id = tree.id
    left join task_delegations d on d.child_task_id = tree.id
    order by tree.depth, tree.parent_task_id, tree.position
    limit ${MAX_TREE_TASKS}`;
}
