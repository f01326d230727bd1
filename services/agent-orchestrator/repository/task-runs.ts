import { ServerCallContext } from '@a2a-js/sdk/server';
import type { Database } from '../../platform/db.js';

/** Whose a task is: what a worker needs to read and write it through the scoped store. */
export interface TaskScope {
  readonly tenant: string;
  readonly owner: string;
  readonly agentId: string;
}

/** The scope of task `id`, or undefined when it is missing or serves no registered agent. */
export async function findTaskScope(sql: Database, id: string): Promise<TaskScope | undefined> {
  const [row] = await sql<{ tenant: string; owner: string; agent_id: string | null }[]>`
    select tenant, owner, agent_id from a2a_tasks where id = ${id}`;
  if (!row?.agent_id) return undefined;
  return { tenant: row.tenant, owner: row.owner, agentId: row.agent_id };
}

/** A call context as the task's owner, so the scoped store reads and writes it. */
export const ownerContext = ({ tenant, owner }: TaskScope): ServerCallContext =>
  new ServerCallContext({ tenant, user: { isAuthenticated: true, userName: owner } });
