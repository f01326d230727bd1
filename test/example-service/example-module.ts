import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { agentOrchestrator } from '../../services/agent-orchestrator/definition.js';
import { requireScopes } from '../../services/platform/auth.js';
import { writeEvent } from '../../services/platform/events/index.js';
import { defineModule } from '../../services/platform/module.js';
import { addRoute, BEARER_SECURITY } from '../../services/platform/openapi.js';
import {
  jsonBodyOf,
  jsonResponse,
  problemResponses,
} from '../../services/platform/openapi-responses.js';
import { inTransaction } from '../../services/platform/transactions.js';

const NewAgent = z.strictObject({ skill: z.string().min(1).max(200) });
const Agent = z.object({ agent_id: z.string(), account_id: z.string(), task_id: z.string() });

/**
 * A small service on the kit, as a new service starts: a typed module on the agent
 * orchestrator's catalog entry that opens a ledger account through the governor's typed client
 * (with its own service identity), records a task and its `aia.agents.tasks.v1` event in one
 * transaction, and consumes that topic into `example_seen_tasks`.
 */
export const exampleModule = defineModule(
  agentOrchestrator,
  { title: 'Example service', description: 'Kit v2 acceptance: module, client, events' },
  async ({ stores: { db: sql }, clients, events, config, router }) => {
    // Typed configuration: a number, parsed and defaulted by the env schema.
    const maxDepth: number = config.MAX_DELEGATION_DEPTH;
    await sql`create table if not exists example_tasks (task_id uuid primary key, agent_id uuid not null,
      account_id uuid not null, skill text not null)`;
    await sql`create table if not exists example_seen_tasks (task_id uuid primary key, agent_id uuid not null,
      skill text not null)`;
    const routes = router();
    addRoute(
      routes,
      createRoute({
        method: 'post',
        path: '/example/agents',
        summary: `Register an agent (delegation depth at most ${maxDepth}) with a ledger account`,
        security: BEARER_SECURITY,
        middleware: [requireScopes('agents:write')],
        request: { body: jsonBodyOf(NewAgent) },
        responses: { 201: jsonResponse(Agent, 'Registered'), ...problemResponses() },
      }),
      async (c) => {
        const { skill } = c.req.valid('json');
        const agentId = randomUUID();
        const account = await clients['economic-governor'].openAccount({
          ledger: 'AIA',
          kind: 'user',
          flags: { debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false },
          memo: `agent ${agentId}`,
        });
        const taskId = randomUUID();
        await inTransaction(sql, async (tx) => {
          await tx`insert into example_tasks values (${taskId}, ${agentId}, ${account.id}, ${skill})`;
          await writeEvent(
            tx,
            'aia.agents.tasks.v1',
            agentId,
            {
              task_id: taskId,
              agent_id: agentId,
              delegated_by: null,
              parent_task_id: null,
              skill,
              created_at: new Date().toISOString(),
            },
            { producer: 'agent-orchestrator' },
          );
        });
        return c.json({ agent_id: agentId, account_id: account.id, task_id: taskId }, 201);
      },
    );
    const subscription = await events?.subscribe({
      topic: 'aia.agents.tasks.v1',
      sql,
      handler: async ({ record }, { tx }) => {
        await tx`insert into example_seen_tasks values (${record.task_id}, ${record.agent_id}, ${record.skill})`;
      },
    });
    // The bus stops the subscription on shutdown, after its event in hand.
    void subscription;
    return { routes };
  },
);
