import {
  type ListTasksRequest,
  type ListTasksResponse,
  Task,
  TaskState,
  taskStateToJSON,
} from '@a2a-js/sdk';
import { RequestMalformedError, TaskNotCancelableError } from '@a2a-js/sdk/errors';
import {
  type OwnerResolver,
  resolveUserScope,
  type ServerCallContext,
  type TaskStore,
} from '@a2a-js/sdk/server';
import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';
import { checkStorable } from './task-store-checks.js';
import { TaskSaveRefusedError } from './task-store-errors.js';
import { decodeTaskCursor, encodeTaskCursor } from './task-store-page-token.js';

/** States a task never leaves (A2A 1.0 §4.1.3), in their wire form as stored. */
export const TERMINAL_TASK_STATES = [
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_REJECTED',
] as const;

const DEFAULT_PAGE_SIZE = 50;

export interface PostgresTaskStoreOptions {
  /** The agent whose tasks these are: saved on each task, and only its tasks are visible. */
  readonly agentId?: string;
  /** The owner of a call's tasks. Default the SDK's: `context.user.userName` (the token subject). */
  readonly ownerOf?: OwnerResolver;
}

interface TaskRow {
  id: string;
  context_id: string;
  status: JSONValue;
  history: JSONValue;
  artifacts: JSONValue;
  metadata: JSONValue;
  cursor_at: string;
}

/** The wire form of a task as `Task.toJSON` writes it (empty fields left out). */
interface WireTask {
  status?: JSONValue;
  history?: JSONValue[];
  artifacts?: JSONValue[];
  metadata?: Record<string, JSONValue>;
}

/**
 * The SDK's `TaskStore` on PostgreSQL (`a2a_tasks`). Tasks are scoped to (tenant, owner, agent)
 * like the SDK's own stores: another caller's task is "not found". Unlike them, `save` is
 * guarded in SQL: a task in a terminal state keeps it, whichever replica or worker writes
 * (the SDK's own lock is per process), and refused saves throw {@link TaskSaveRefusedError}.
 *
 * @example
 * const store = new PostgresTaskStore(stores.db, { agentId });
 * const handler = new DefaultRequestHandler(card, store, executor);
 */
export class PostgresTaskStore implements TaskStore {
  private readonly agentId: string | null;
  private readonly ownerOf: OwnerResolver;

  constructor(
    private readonly sql: Database,
    { agentId, ownerOf = resolveUserScope }: PostgresTaskStoreOptions = {},
  ) {
    this.agentId = agentId ?? null;
    this.ownerOf = ownerOf;
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    const { sql } = this;
    const { tenant, owner } = this.scopeOf(context);
    const wire = Task.toJSON(task) as WireTask;
    checkStorable({ tenant, contextId: task.contextId, id: task.id }, wire);
    const state = taskStateToJSON(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);
    // Without a status time the save's own time orders the task in ListTasks.
    const statusAt = task.status?.timestamp || new Date().toISOString();
    const saved = await sql`
      insert into a2a_tasks as t (id, tenant, owner, agent_id, context_id, state, status_at,
                                  status, history, artifacts, metadata)
      values (${task.id}, ${tenant}, ${owner}, ${this.agentId}, ${task.contextId}, ${state},
              ${statusAt}, ${sql.json(wire.status ?? {})}, ${sql.json(wire.history ?? [])},
              ${sql.json(wire.artifacts ?? [])}, ${sql.json(wire.metadata ?? {})})
      on conflict (id) do update set
        context_id = excluded.context_id, state = excluded.state, status_at = excluded.status_at,
        status = excluded.status, history = excluded.history, artifacts = excluded.artifacts,
        metadata = excluded.metadata, updated_at = now()
      where t.tenant = excluded.tenant and t.owner = excluded.owner
        and t.agent_id is not distinct from excluded.agent_id
        and (t.state <> all(${TERMINAL_TASK_STATES as unknown as string[]}::text[])
             or t.state = excluded.state)
      returning 1`;
    if (saved.length === 1) return;
    const refusal = await this.refusal(task.id, state, { tenant, owner });
    // A cancel that lost the race to the task's end (another replica finished it between the
    // SDK's load and this save): the caller gets the spec's answer, not an internal error.
    if (refusal.reason === 'terminal' && state === 'TASK_STATE_CANCELED')
      throw new TaskNotCancelableError(refusal.message);
    throw refusal;
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const [row] = await this.sql<TaskRow[]>`
      select id, context_id, status, history, artifacts, metadata, '' as cursor_at
      from a2a_tasks where id = ${taskId} and ${this.visibleTo(context)}`;
    return row && taskFromRow(row);
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    const { sql } = this;
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    const cursor = params.pageToken ? decodeTaskCursor(params.pageToken) : undefined;
    const filters = sql`${this.visibleTo(context)}
      ${params.contextId ? sql`and context_id = ${params.contextId}` : sql``}
      ${params.status ? sql`and state = ${taskStateToJSON(params.status)}` : sql``}
      ${params.statusTimestampAfter ? sql`and status_at > ${statusAfter(params.statusTimestampAfter)}` : sql``}`;
    const [count] = await sql<{ total: number }[]>`
      select count(*)::int as total from a2a_tasks where ${filters}`;
    const rows = await sql<TaskRow[]>`
      select id, context_id, status, history, metadata,
             ${params.includeArtifacts ? sql`artifacts` : sql`'[]'::jsonb as artifacts`},
             to_char(status_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
      from a2a_tasks
      where ${filters}
        ${cursor ? sql`and (status_at, id) < (${cursor.statusAt}::timestamptz, ${cursor.id})` : sql``}
      order by status_at desc, id desc
      limit ${pageSize + 1}`;
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return {
      tasks: page.map(taskFromRow),
      nextPageToken:
        rows.length > pageSize && last
          ? encodeTaskCursor({ statusAt: last.cursor_at, id: last.id })
          : '',
      pageSize,
      totalSize: count?.total ?? 0,
    };
  }

  private scopeOf(context: ServerCallContext) {
    return { tenant: context.tenant ?? '', owner: this.ownerOf(context) };
  }

  private visibleTo(context: ServerCallContext) {
    const { sql } = this;
    const { tenant, owner } = this.scopeOf(context);
    return sql`tenant = ${tenant} and owner = ${owner}
      and ${this.agentId === null ? sql`agent_id is null` : sql`agent_id = ${this.agentId}`}`;
  }

  /** Why the guarded upsert changed nothing, read after the fact (the row does not go away). */
  private async refusal(
    taskId: string,
    state: string,
    scope: { tenant: string; owner: string },
  ): Promise<TaskSaveRefusedError> {
    const [row] = await this.sql<{ state: string; mine: boolean }[]>`
      select state, (tenant = ${scope.tenant} and owner = ${scope.owner}
                     and agent_id is not distinct from ${this.agentId}::uuid) as mine
      from a2a_tasks where id = ${taskId}`;
    if (row && !row.mine)
      return new TaskSaveRefusedError(taskId, 'taken', 'the id belongs to another caller');
    return new TaskSaveRefusedError(
      taskId,
      'terminal',
      `is ${row?.state ?? 'finished'}, a terminal state; refusing to make it ${state}`,
    );
  }
}

/**
 * The SDK accepts any `Date.parse`-able text (`"1"`, say), which PostgreSQL may not: passed on as
 * an ISO instant, or refused as malformed params.
 */
function statusAfter(value: string | Date): string {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw new RequestMalformedError(`statusTimestampAfter: not a timestamp: ${String(value)}`);
  return at.toISOString();
}

function taskFromRow(row: TaskRow): Task {
  return Task.fromJSON({
    id: row.id,
    contextId: row.context_id,
    status: row.status,
    history: row.history,
    artifacts: row.artifacts,
    metadata: row.metadata,
  });
}
