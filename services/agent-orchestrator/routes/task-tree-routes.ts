import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { MAX_TREE_TASKS, taskTreeRows } from '../repository/task-tree.js';

const TreeTaskSchema = z
  .object({
    task_id: z.string(),
    parent_task_id: z.string().nullable(),
    depth: z.int().openapi({ description: '0 for the task asked for, 1 for its children...' }),
    agent_id: z.string().nullable(),
    state: z.string().openapi({ example: 'input-required' }),
    status_message: z.string().nullable(),
    replaced_by: z.string().nullable().openapi({
      description:
        "The task that took this failed one's subtask over (retried with another agent); null otherwise",
    }),
    budget_aia: z.string().nullable(),
    cost_aia: z.string().nullable(),
    reservation: z
      .object({
        transfer_id: z.string(),
        amount_aia: z.string(),
        state: z.enum(['pending', 'posted', 'voided', 'expired']),
        settled_aia: z.string().nullable(),
      })
      .nullable()
      .openapi({
        description:
          "The ledger's pending transfer funding the task from its parent agent's account",
      }),
    deadline_at: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi('TreeTask');

const TaskTreeSchema = z
  .object({ tasks: z.array(TreeTaskSchema), truncated: z.boolean() })
  .openapi('TaskTree');

const TaskParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/**
 * `GET /v1/tasks/{id}/tree`: a task and everything delegated below it — agents, states,
 * budgets, costs and ledger reservations — for the task's sender (or an agents:admin).
 */
export function addTaskTreeRoutes(app: OpenAPIHono<AppEnv>, sql: Database): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/tasks/{id}/tree',
      tags: ['tasks'],
      summary: 'A task and its delegation tree: states, budgets, costs and ledger reservations',
      security: BEARER_SECURITY,
      middleware: [requireScopes('agents:read')],
      request: { params: TaskParamsSchema },
      responses: {
        200: jsonResponse(TaskTreeSchema, 'The task first, then its descendants by depth'),
        ...problemResponses({ 404: "No such task, or another sender's" }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const rows = await taskTreeRows(sql, id);
      const root = rows[0];
      const mine =
        root && (root.owner === principal?.subject || principal?.scopes.has('agents:admin'));
      if (!mine) throw new NotFoundError(`no task ${id}`);
      return c.json({
        tasks: rows.map((row) => ({
          task_id: row.id,
          parent_task_id: row.parent_task_id,
          depth: row.depth,
          agent_id: row.agent_id,
          state: row.state,
          status_message: row.status_message,
          replaced_by: row.replaced_by,
          budget_aia: row.budget_aia,
          cost_aia: row.cost_aia,
          reservation: row.reservation_id
            ? {
                transfer_id: row.reservation_id,
                amount_aia: row.reserved_aia ?? '0',
                state: row.settlement ?? 'pending',
                settled_aia: row.settled_aia,
              }
            : null,
          deadline_at: row.deadline_at?.toISOString() ?? null,
          updated_at: row.updated_at.toISOString(),
        })),
        truncated: rows.length === MAX_TREE_TASKS,
      });
    },
  );
}
