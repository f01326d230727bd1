import type { Database } from '../../platform/db.js';

/** One child task of a delegation, as `task_delegations` holds it. */
export interface Delegation {
  readonly child_task_id: string;
  readonly parent_task_id: string;
  readonly position: number;
  /** The plan's subtask this child works on: its position, or that of the child it replaced. */
  readonly subtask: number;
  /** The child that took this one's place after it failed (retried elsewhere). */
  readonly replaced_by: string | null;
  readonly parent_agent_id: string;
  readonly child_agent_id: string;
  /** Decimal string of AIA. */
  readonly budget_aia: string;
  readonly reservation_id: string | null;
  readonly finished_at: string | null;
  readonly settlement: 'posted' | 'voided' | 'expired' | null;
  readonly settled_aia: string | null;
}

/** A delegation with its child task's state and metadata, for combining and showing a tree. */
export interface DelegationWithChild extends Delegation {
  readonly state: string;
  readonly status: unknown;
  readonly artifacts: unknown[];
  readonly metadata: Record<string, unknown>;
}

const COLUMNS = `d.child_task_id, d.parent_task_id, d.position, d.subtask, d.replaced_by,
  d.parent_agent_id, d.child_agent_id,
  trim_scale(d.budget_aia)::text as budget_aia, d.reservation_id, d.finished_at, d.settlement,
  trim_scale(d.settled_aia)::text as settled_aia`;

/** Records a child of `parent_task_id` (in the child task's transaction); a second write is a no-op. */
export async function insertDelegation(
  tx: Database,
  row: Pick<
    Delegation,
    | 'child_task_id'
    | 'parent_task_id'
    | 'position'
    | 'parent_agent_id'
    | 'child_agent_id'
    | 'budget_aia'
    | 'reservation_id'
  > & { readonly subtask?: number },
): Promise<void> {
  await tx`
    insert into task_delegations (child_task_id, parent_task_id, position, subtask,
                                  parent_agent_id, child_agent_id, budget_aia, reservation_id)
    values (${row.child_task_id}, ${row.parent_task_id}, ${row.position},
            ${row.subtask ?? row.position}, ${row.parent_agent_id}, ${row.child_agent_id},
            ${row.budget_aia}, ${row.reservation_id})
    on conflict (child_task_id) do nothing`;
}

/** The children of `parentTaskId` that no other child replaced: one per subtask, in plan order. */
export function currentChildrenOf(
  sql: Database,
  parentTaskId: string,
): Promise<DelegationWithChild[]> {
  return sql<DelegationWithChild[]>`
    select ${sql.unsafe(COLUMNS)}, t.state, t.status, t.artifacts, t.metadata
    from task_delegations d join a2a_tasks t on t.id = d.child_task_id
    where d.parent_task_id = ${parentTaskId} and d.replaced_by is null
    order by d.subtask`;
}

/** How many children of `parentTaskId` were replaced: the parent's combine round. */
export async function replacedCount(sql: Database, parentTaskId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from task_delegations
    where parent_task_id = ${parentTaskId} and replaced_by is not null`;
  return row?.count ?? 0;
}

/**
 * Marks child `taskId` ended, once, under its parent's row lock: the answer says whether it was
 * the parent's last unfinished child (then, and only then, the parent combines). Undefined for
 * a task that is nobody's child, or whose end was recorded already.
 */
export async function recordChildEnd(
  tx: Database,
  taskId: string,
): Promise<{ delegation: Delegation; last: boolean } | undefined> {
  const [parent] = await tx<{ parent_task_id: string }[]>`
    select parent_task_id from task_delegations where child_task_id = ${taskId}`;
  if (!parent) return undefined;
  // Siblings ending at once serialise here: exactly one of them sees none left.
  await tx`select 1 from a2a_tasks where id = ${parent.parent_task_id} for update`;
  const [delegation] = await tx<Delegation[]>`
    update task_delegations d set finished_at = now()
    where child_task_id = ${taskId} and finished_at is null
    returning ${tx.unsafe(COLUMNS)}`;
  if (!delegation) return undefined;
  const [open] = await tx<{ count: number }[]>`
    select count(*)::int as count from task_delegations
    where parent_task_id = ${parent.parent_task_id} and finished_at is null`;
  return { delegation, last: open?.count === 0 };
}

/** The children of `parentTaskId` in plan order, with their tasks. */
export function childrenOf(sql: Database, parentTaskId: string): Promise<DelegationWithChild[]> {
  return sql<DelegationWithChild[]>`
    select ${sql.unsafe(COLUMNS)}, t.state, t.status, t.artifacts, t.metadata
    from task_delegations d join a2a_tasks t on t.id = d.child_task_id
    where d.parent_task_id = ${parentTaskId}
    order by d.position`;
}

/** The delegation whose child is `taskId`. */
export async function delegationOf(sql: Database, taskId: string): Promise<Delegation | undefined> {
  const [row] = await sql<Delegation[]>`
    select ${sql.unsafe(COLUMNS)} from task_delegations d where child_task_id = ${taskId}`;
  return row;
}

/** Records how a reservation ended; only the first record counts. */
export async function recordSettlement(
  sql: Database,
  childTaskId: string,
  settlement: NonNullable<Delegation['settlement']>,
  settledAia: string,
): Promise<void> {
  await sql`
    update task_delegations
    set settlement = ${settlement}, settled_aia = ${settledAia}, settled_at = now()
    where child_task_id = ${childTaskId} and settlement is null`;
}

/** Whether `taskId` has delegated anything (children are recorded all at once). */
export async function hasChildren(sql: Database, taskId: string): Promise<boolean> {
  const [row] = await sql<{ any: boolean }[]>`
    select exists (select 1 from task_delegations where parent_task_id = ${taskId}) as any`;
  return row?.any ?? false;
}

/** Whether `taskId` has children that have not ended. */
export async function hasOpenChildren(sql: Database, taskId: string): Promise<boolean> {
  const [row] = await sql<{ open: boolean }[]>`
    select exists (select 1 from task_delegations
                   where parent_task_id = ${taskId} and finished_at is null) as open`;
  return row?.open ?? false;
}

/** Sets when task `taskId` must have ended. */
export async function setDeadline(tx: Database, taskId: string, deadline: Date): Promise<void> {
  await tx`update a2a_tasks set deadline_at = ${deadline} where id = ${taskId}`;
}

/** A task's deadline, if it has one. */
export async function deadlineOf(sql: Database, taskId: string): Promise<Date | undefined> {
  const [row] = await sql<{ deadline_at: Date | null }[]>`
    select deadline_at from a2a_tasks where id = ${taskId}`;
  return row?.deadline_at ?? undefined;
}

/** Unfinished tasks past their deadline, oldest deadline first. */
export async function overdueTasks(sql: Database, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from a2a_tasks
    where deadline_at < now()
      and state not in ('TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED',
                        'TASK_STATE_REJECTED')
    order by deadline_at limit ${limit}`;
  return rows.map((row) => row.id);
}
