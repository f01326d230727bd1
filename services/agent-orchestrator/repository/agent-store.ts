import type { Database } from '../../platform/db.js';
import type { Agent, AgentLimits, AgentRuntime, AgentSkill, AgentStatus } from '../domain/agent.js';
import type { PathEntry } from '../domain/hierarchy.js';

/**
 * Every hierarchy change holds this transaction-scoped advisory lock (key: "agents" in ASCII). The
 * trigger of migrations/003_hierarchy_lock.sql takes the same key: change both or neither.
 */
const HIERARCHY_LOCK = 0x61_67_65_6e_74_73;

/**
 * Serialises hierarchy changes: a move, a registration under a manager, a retirement. Checked
 * under the lock, two concurrent moves (A under B, B under A) cannot both pass the cycle check.
 * Writes to the registry are rare next to reads, which take no lock.
 */
export async function lockHierarchy(tx: Database): Promise<void> {
  await tx`select pg_advisory_xact_lock(${HIERARCHY_LOCK})`;
}

interface AgentRow {
  id: string;
  seq: string;
  owner: string;
  name: string;
  description: string;
  version: string;
  skills: AgentSkill[];
  input_modes: string[];
  output_modes: string[];
  runtime: AgentRuntime;
  limits: AgentLimits;
  manager_id: string | null;
  ledger_account_id: string;
  status: AgentStatus;
  created_at: Date;
  updated_at: Date;
  retired_at: Date | null;
}

const agentOf = ({ seq: _seq, created_at, updated_at, retired_at, ...row }: AgentRow): Agent => ({
  ...row,
  created_at: created_at.toISOString(),
  updated_at: updated_at.toISOString(),
  retired_at: retired_at?.toISOString() ?? null,
});

/** What the registry stores on registration; the rest has defaults. */
export type NewAgent = Omit<Agent, 'status' | 'created_at' | 'updated_at' | 'retired_at'>;

/** Inserts `agent`; returns undefined when its id exists already. */
export async function insertAgent(tx: Database, agent: NewAgent): Promise<Agent | undefined> {
  const [row] = await tx<AgentRow[]>`
    insert into agents (id, owner, name, description, version, skills, input_modes, output_modes,
                        runtime, limits, manager_id, ledger_account_id)
    values (${agent.id}, ${agent.owner}, ${agent.name}, ${agent.description}, ${agent.version},
            ${tx.json(agent.skills as never)}, ${tx.array([...agent.input_modes])},
            ${tx.array([...agent.output_modes])}, ${tx.json(agent.runtime as never)},
            ${tx.json(agent.limits as never)}, ${agent.manager_id}, ${agent.ledger_account_id})
    on conflict (id) do nothing
    returning *`;
  return row && agentOf(row);
}

export async function findAgent(sql: Database, id: string): Promise<Agent | undefined> {
  const [row] = await sql<AgentRow[]>`select * from agents where id = ${id}`;
  return row && agentOf(row);
}

/** The fields an update may change, already validated. */
export type AgentChanges = Partial<
  Pick<
    Agent,
    | 'name'
    | 'description'
    | 'version'
    | 'skills'
    | 'input_modes'
    | 'output_modes'
    | 'runtime'
    | 'limits'
    | 'manager_id'
  >
>;

export async function updateAgent(tx: Database, id: string, changes: AgentChanges): Promise<Agent> {
  const has = (field: keyof AgentChanges) => changes[field] !== undefined;
  const [row] = await tx<AgentRow[]>`
    update agents set
      name = ${has('name') ? (changes.name as string) : tx`name`},
      description = ${has('description') ? (changes.description as string) : tx`description`},
      version = ${has('version') ? (changes.version as string) : tx`version`},
      skills = ${has('skills') ? tx.json(changes.skills as never) : tx`skills`},
      input_modes = ${has('input_modes') ? tx.array([...(changes.input_modes ?? [])]) : tx`input_modes`},
      output_modes = ${has('output_modes') ? tx.array([...(changes.output_modes ?? [])]) : tx`output_modes`},
      runtime = ${has('runtime') ? tx.json(changes.runtime as never) : tx`runtime`},
      limits = ${has('limits') ? tx.json(changes.limits as never) : tx`limits`},
      manager_id = ${changes.manager_id !== undefined ? changes.manager_id : tx`manager_id`},
      updated_at = now()
    where id = ${id}
    returning *`;
  if (!row) throw new Error(`agent ${id} vanished while locked for update`);
  return agentOf(row);
}

export async function retireAgent(tx: Database, id: string): Promise<Agent> {
  const [row] = await tx<AgentRow[]>`
    update agents set status = 'retired', retired_at = now(), updated_at = now()
    where id = ${id} returning *`;
  if (!row) throw new Error(`agent ${id} vanished while locked for retirement`);
  return agentOf(row);
}

export async function countActiveReports(sql: Database, id: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from agents where manager_id = ${id} and status = 'active'`;
  return row?.count ?? 0;
}

/** From the root down to `id`, inclusive (empty when `id` does not exist). */
export async function pathToRoot(sql: Database, id: string): Promise<PathEntry[]> {
  const rows = await sql<(PathEntry & { depth: number })[]>`
    with recursive up (id, manager_id, status, depth) as (
      select id, manager_id, status, 0 from agents where id = ${id}
      union all
      select a.id, a.manager_id, a.status, up.depth + 1
        from agents a join up on a.id = up.manager_id
       -- Bounded even if a cycle were ever stored: the walk stops instead of looping.
       where up.depth < 64
    )
    select id, status, depth from up order by depth desc`;
  return rows.map(({ id: entry, status }) => ({ id: entry, status }));
}

/** Every agent below `id` (not `id` itself), with its depth below it (1 for direct reports). */
export async function subtreeOf(
  sql: Database,
  id: string,
): Promise<{ agent: Agent; depth: number }[]> {
  const rows = await sql<(AgentRow & { depth: number })[]>`
    with recursive down (id, depth) as (
      select id, 1 from agents where manager_id = ${id}
      union all
      select a.id, down.depth + 1 from agents a join down on a.manager_id = down.id
       where down.depth < 64
    )
    select agents.*, down.depth from down join agents using (id) order by down.depth, agents.seq`;
  return rows.map(({ depth, ...row }) => ({ agent: agentOf(row), depth }));
}

/**
 * Active levels below `id`: 0 when no active agent reports to it. Retired agents take no tasks and
 * delegate nothing, so they do not count against the depth limit (nor do agents below them: a
 * retired agent has no active reports).
 */
export async function subtreeHeight(sql: Database, id: string): Promise<number> {
  const [row] = await sql<{ height: number }[]>`
    with recursive down (id, depth) as (
      select id, 0 from agents where id = ${id}
      union all
      select a.id, down.depth + 1 from agents a join down on a.manager_id = down.id
       where down.depth < 64 and a.status = 'active'
    )
    select coalesce(max(depth), 0)::int as height from down`;
  return row?.height ?? 0;
}

export interface AgentFilter {
  readonly managerId?: string;
  readonly status?: AgentStatus;
  readonly skillTag?: string;
  /** The `seq` after which the page starts (from the previous page's `next_cursor`). */
  readonly after?: string;
  readonly limit: number;
}

/** One page of agents in registration order; `next` is the cursor of the following page. */
export async function listAgents(
  sql: Database,
  { managerId, status, skillTag, after, limit }: AgentFilter,
): Promise<{ agents: Agent[]; next: string | null }> {
  const rows = await sql<AgentRow[]>`
    select * from agents
     where true
       ${managerId === undefined ? sql`` : sql`and manager_id = ${managerId}`}
       ${status === undefined ? sql`` : sql`and status = ${status}`}
       ${skillTag === undefined ? sql`` : sql`and skills @> ${sql.json([{ tags: [skillTag] }])}`}
       ${after === undefined ? sql`` : sql`and seq > ${after}`}
     order by seq
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    agents: page.map(agentOf),
    next: rows.length > limit && last ? String(last.seq) : null,
  };
}
