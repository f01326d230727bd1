import type { Database } from '../../platform/db.js';
import { parseAia } from '../domain/aia-amount.js';
import { MAX_SUBTASKS } from '../execution/delegation/plan.js';
import { childTaskIdOf } from '../execution/delegation/spawn-children.js';
import { TERMINAL_TASK_STATES } from '../repository/task-store.js';

/**
 * What must hold once a run of the orchestrator has settled, however its workers died: each
 * check returns its violations as sentences naming the task, reservation or account (empty when
 * it holds), so a failing test says exactly what went wrong.
 */
export interface ChaosBooks {
  /** The orchestrator's database. */
  readonly sql: Database;
  /** The governor's database, read directly: transfers, their resolutions, account balances. */
  readonly ledger: Database;
  /** What each agent's account was funded with from the treasury, in AIA, by agent id. */
  readonly funded: ReadonlyMap<string, string>;
}

interface TaskRow {
  readonly id: string;
  readonly state: string;
  readonly parent_task_id: string | null;
  readonly subtasks: number | null;
  readonly runs: number;
  readonly recorded: number;
}

interface DelegationRow {
  readonly child_task_id: string;
  readonly parent_task_id: string;
  readonly position: number;
  readonly parent_agent_id: string;
  readonly child_agent_id: string;
  readonly budget_aia: string;
  readonly reservation_id: string | null;
  readonly finished_at: Date | null;
  readonly settlement: string | null;
  readonly settled_aia: string | null;
}

/** Every task ended, once: terminal, one run event, one task event. */
export async function tasksEndedOnce({ sql }: ChaosBooks): Promise<string[]> {
  const tasks = await taskRows(sql);
  return tasks.flatMap((task) => [
    ...((TERMINAL_TASK_STATES as readonly string[]).includes(task.state)
      ? []
      : [`task ${task.id} is still ${task.state}`]),
    ...(task.runs === 1 ? [] : [`task ${task.id} has ${task.runs} aia.agents.runs.v1 events`]),
    ...(task.recorded === 1
      ? []
      : [`task ${task.id} has ${task.recorded} aia.agents.tasks.v1 events`]),
  ]);
}

/**
 * No child lost or doubled: a parent whose plan names n subtasks has exactly the children at
 * positions 0..n-1 with the ids derived from it; every task that names a parent is one of them.
 */
export async function childrenExactlyAsPlanned({ sql }: ChaosBooks): Promise<string[]> {
  const tasks = await taskRows(sql);
  const delegations = await delegationRows(sql);
  const byParent = new Map<string, DelegationRow[]>();
  for (const row of delegations)
    byParent.set(row.parent_task_id, [...(byParent.get(row.parent_task_id) ?? []), row]);
  const recorded = new Set(delegations.map((row) => row.child_task_id));
  const problems: string[] = [];
  for (const task of tasks) {
    const children = (byParent.get(task.id) ?? []).sort((a, b) => a.position - b.position);
    const planned = task.subtasks ?? 0;
    if (children.length > 0 && task.subtasks === null)
      problems.push(`task ${task.id} has ${children.length} children but no plan on record`);
    else if (children.length !== planned && task.state === 'TASK_STATE_COMPLETED')
      problems.push(`task ${task.id} planned ${planned} subtasks and has ${children.length}`);
    for (const [index, child] of children.entries())
      if (child.position !== index || child.child_task_id !== childTaskIdOf(task.id, index))
        problems.push(
          `task ${task.id}'s child ${child.child_task_id} sits at position ${child.position}, not as its ${index}th child`,
        );
    if (task.parent_task_id && !recorded.has(task.id))
      problems.push(`task ${task.id} names parent ${task.parent_task_id} but no delegation`);
  }
  return problems;
}

/**
 * Every reservation ended exactly once: each delegation with a reservation is settled, and in
 * the ledger its pending transfer (from the parent agent's account to the child's, the child's
 * budget) has exactly one post, void or expiry, matching the settlement; no pending transfer of
 * the agents is left without one (a reservation whose children were never recorded).
 */
export async function reservationsEndedOnce(books: ChaosBooks): Promise<string[]> {
  const { sql, ledger } = books;
  const delegations = await delegationRows(sql);
  const accounts = await agentAccounts(sql);
  const pendings = await ledger<
    {
      id: string;
      amount: string;
      debit_account_id: string;
      credit_account_id: string;
      resolutions: { kind: string; amount: string }[];
    }[]
  >`
    select p.id, p.amount::text, p.debit_account_id, p.credit_account_id,
           coalesce((select json_agg(json_build_object('kind', r.kind, 'amount', r.amount::text))
                     from transfers r where r.pending_id = p.id), '[]') as resolutions
    from transfers p
    where p.kind = 'pending' and p.debit_account_id = any(${[...accounts.values()]}::uuid[])`;
  const byId = new Map(pendings.map((pending) => [pending.id, pending]));
  const problems: string[] = [];
  const expected = { posted: 'post', voided: 'void', expired: 'expire' } as Record<string, string>;
  for (const row of delegations) {
    const child = `child task ${row.child_task_id}`;
    if (!row.finished_at) problems.push(`${child}: its end was never recorded`);
    if (!row.reservation_id) continue;
    if (!row.settlement) problems.push(`${child}: reservation ${row.reservation_id} never settled`);
    const pending = byId.get(row.reservation_id);
    if (!pending) {
      problems.push(`${child}: reservation ${row.reservation_id} is not in the ledger`);
      continue;
    }
    if (
      BigInt(pending.amount) !== parseAia(row.budget_aia) ||
      pending.debit_account_id !== accounts.get(row.parent_agent_id) ||
      pending.credit_account_id !== accounts.get(row.child_agent_id)
    )
      problems.push(`${child}: reservation ${pending.id} is not its budget between its agents`);
    const [resolution, ...more] = pending.resolutions;
    if (!resolution || more.length > 0)
      problems.push(
        `${child}: reservation ${pending.id} has ${pending.resolutions.length} posts or voids`,
      );
    else if (row.settlement && resolution.kind !== expected[row.settlement])
      problems.push(`${child}: ${row.settlement}, but the ledger has a ${resolution.kind}`);
    else if (
      resolution.kind === 'post' &&
      BigInt(resolution.amount) !== parseAia(row.settled_aia ?? '0')
    )
      problems.push(`${child}: ${row.settled_aia} AIA settled, ${resolution.amount} units posted`);
  }
  const reserved = new Set(delegations.map((row) => row.reservation_id));
  const orphans = pendings.filter((pending) => !reserved.has(pending.id));
  if (orphans.length === 0) return problems;
  // Whose child each would have been: reservation ids are the children's task ids.
  const tasks = await taskRows(sql);
  const childOf = new Map(
    tasks.flatMap((task) =>
      Array.from({ length: MAX_SUBTASKS }, (_, position) => [
        childTaskIdOf(task.id, position),
        { task, position },
      ]),
    ),
  );
  const endings = new Map(
    (
      await sql<{ id: string; state: string; reason: string | null }[]>`
        select id, state, status #>> '{message,parts,0,text}' as reason from a2a_tasks
        where id = any(${orphans.map((pending) => pending.id)}::text[])`
    ).map((row) => [row.id, `${row.state}${row.reason ? `: ${row.reason}` : ''}`]),
  );
  for (const pending of orphans) {
    const parent = childOf.get(pending.id);
    const whose = parent
      ? `child ${parent.position} of task ${parent.task.id} (${parent.task.state}, a plan of ${parent.task.subtasks ?? 'no'} subtasks, ${delegations.filter((row) => row.parent_task_id === parent.task.id).length} children recorded)`
      : "no task's child";
    problems.push(
      `pending transfer ${pending.id} from account ${pending.debit_account_id} belongs to no delegation (${pending.resolutions.length} posts or voids): the reservation of ${whose}; that child is ${endings.get(pending.id) ?? 'not recorded'}`,
    );
  }
  return problems;
}

/**
 * Balances consistent: nothing pending on any agent's account, and each balance is what it was
 * funded with, less what it paid its children, plus what its parents paid it (posted
 * settlements, from `task_delegations.settled_aia`).
 */
export async function balancesConsistent(books: ChaosBooks): Promise<string[]> {
  const { sql, ledger, funded } = books;
  const accounts = await agentAccounts(sql);
  const flows = await sql<{ agent_id: string; paid: string; received: string }[]>`
    select a.id as agent_id,
      trim_scale(coalesce((select sum(settled_aia) from task_delegations
                where parent_agent_id = a.id and settlement = 'posted'), 0))::text as paid,
      trim_scale(coalesce((select sum(settled_aia) from task_delegations
                where child_agent_id = a.id and settlement = 'posted'), 0))::text as received
    from agents a`;
  const balances = await ledger<{ id: string; pending: string; balance: string }[]>`
    select id, (debits_pending + credits_pending)::text as pending,
           (credits_posted - debits_posted)::text as balance
    from accounts where id = any(${[...accounts.values()]}::uuid[])`;
  const byAccount = new Map(balances.map((row) => [row.id, row]));
  const problems: string[] = [];
  for (const flow of flows) {
    const account = byAccount.get(accounts.get(flow.agent_id) ?? '');
    if (!account) {
      problems.push(`agent ${flow.agent_id}: its account is not in the ledger`);
      continue;
    }
    const expected =
      parseAia(funded.get(flow.agent_id) ?? '0') - parseAia(flow.paid) + parseAia(flow.received);
    if (account.pending !== '0')
      problems.push(`agent ${flow.agent_id}: ${account.pending} units still pending`);
    if (BigInt(account.balance) !== expected)
      problems.push(
        `agent ${flow.agent_id}: balance ${account.balance} units, expected ${expected} (funded ${funded.get(flow.agent_id) ?? '0'}, paid ${flow.paid}, received ${flow.received})`,
      );
  }
  return problems;
}

/** Every task with its parent, its plan's size and its events. */
const taskRows = (sql: Database) =>
  sql<TaskRow[]>`
    select t.id, t.state, t.metadata->>'parent_task_id' as parent_task_id,
           jsonb_array_length(t.metadata #> '{delegation,plan,subtasks}') as subtasks,
           (select count(*)::int from outbox o
            where o.topic = 'aia.agents.runs.v1' and o.payload->>'task_id' = t.id) as runs,
           (select count(*)::int from outbox o
            where o.topic = 'aia.agents.tasks.v1' and o.payload->>'task_id' = t.id) as recorded
    from a2a_tasks t`;

const delegationRows = (sql: Database) =>
  sql<DelegationRow[]>`
    select child_task_id, parent_task_id, position, parent_agent_id, child_agent_id,
           trim_scale(budget_aia)::text as budget_aia, reservation_id, finished_at, settlement,
           trim_scale(settled_aia)::text as settled_aia
    from task_delegations`;

/** Each agent's ledger account, by agent id. */
async function agentAccounts(sql: Database): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; ledger_account_id: string }[]>`
    select id, ledger_account_id from agents`;
  return new Map(rows.map((row) => [row.id, row.ledger_account_id]));
}
