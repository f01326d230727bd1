import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { requireScopes } from '../../platform/auth.js';
import { requestFingerprint } from '../../platform/idempotency/fingerprint.js';
import { REPLAYED_HEADER } from '../../platform/idempotency/idempotent.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
  problemResponses,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { RegisterAgentSchema, UpdateAgentSchema } from '../domain/agent-schemas.js';
import type { Caller } from '../operations/caller.js';
import { registerAgent } from '../operations/register-agent.js';
import type { RegistryContext } from '../operations/registry-context.js';
import { retireAgentById } from '../operations/retire-agent.js';
import { getAgent, updateAgentById } from '../operations/update-agent.js';
import { listAgents, subtreeOf } from '../repository/agent-store.js';
import {
  AgentPageSchema,
  AgentReply,
  IdParamsSchema,
  ListQuerySchema,
  ReportsSchema,
} from './schemas.js';

const PROBLEMS = problemResponses({
  403: "A required scope is missing, the agent is another's (changing it needs agents:admin), or the manager is another's (not_manager_owner)",
  404: 'No such agent',
  409: 'The hierarchy refuses it (hierarchy_cycle, delegation_too_deep, manager_retired, has_active_reports, agent_retired), or an Idempotency-Key was reused with another request',
});
const read = () => [requireScopes('agents:read')];
const callerOf = (c: Context<AppEnv>): Caller => {
  const principal = c.get('principal');
  return {
    subject: principal?.subject ?? 'anonymous',
    admin: principal?.scopes.has('agents:admin') ?? false,
  };
};
const write = () => [requireScopes('agents:write')];

/** The registry's API: register, list, read, update, retire, and an agent's reports. */
export function addAgentRoutes(app: OpenAPIHono<AppEnv>, context: RegistryContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/agents',
      tags: ['agents'],
      summary: 'Register an agent (opens its AIA account in the ledger); the caller owns it',
      security: BEARER_SECURITY,
      middleware: [...write(), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(RegisterAgentSchema) },
      responses: { 201: jsonResponse(AgentReply, 'Registered'), ...PROBLEMS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const caller = callerOf(c);
      const { subject } = caller;
      const key = c.req.valid('header')['idempotency-key'];
      const { reply, replayed } = await registerAgent(
        context,
        caller,
        input,
        key === undefined
          ? undefined
          : { subject, key, fingerprint: requestFingerprint(c.req.method, c.req.path, input) },
      );
      return c.json(
        reply.body,
        reply.status as ContentfulStatusCode,
        replayed ? REPLAYED_HEADER : {},
      );
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents',
      tags: ['agents'],
      summary: 'Agents in registration order, filtered by manager, status or skill tag',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { query: ListQuerySchema },
      responses: { 200: jsonResponse(AgentPageSchema, 'One page'), ...PROBLEMS },
    }),
    async (c) => {
      const { manager, status, skill, limit, cursor } = c.req.valid('query');
      const { agents, next } = await listAgents(context.sql, {
        limit,
        ...(manager === undefined ? {} : { managerId: manager }),
        ...(status === undefined ? {} : { status }),
        ...(skill === undefined ? {} : { skillTag: skill }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return c.json({ agents, next_cursor: next });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents/{id}',
      tags: ['agents'],
      summary: 'An agent',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(AgentReply, 'The agent'), ...PROBLEMS },
    }),
    async (c) => c.json({ agent: await getAgent(context, c.req.valid('param').id) }),
  );

  addRoute(
    app,
    createRoute({
      method: 'patch',
      path: '/agents/{id}',
      tags: ['agents'],
      summary:
        'Change an active agent; a new manager_id moves it (and its reports) in the hierarchy',
      security: BEARER_SECURITY,
      middleware: [...write(), requireJsonBody()],
      request: { params: IdParamsSchema, body: jsonBodyOf(UpdateAgentSchema) },
      responses: { 200: jsonResponse(AgentReply, 'Updated'), ...PROBLEMS },
    }),
    async (c) => {
      const agent = await updateAgentById(
        context,
        callerOf(c),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json({ agent });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/agents/{id}/retire',
      tags: ['agents'],
      summary:
        'Retire an agent: no more tasks, never a manager; refused while it has active reports',
      security: BEARER_SECURITY,
      middleware: write(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(AgentReply, 'Retired'), ...PROBLEMS },
    }),
    async (c) =>
      c.json({ agent: await retireAgentById(context, callerOf(c), c.req.valid('param').id) }),
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents/{id}/reports',
      tags: ['agents'],
      summary: 'Everyone below an agent, nearest first, with their depth below it',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(ReportsSchema, 'The subtree'), ...PROBLEMS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getAgent(context, id);
      const below = await subtreeOf(context.sql, id);
      return c.json({ reports: below.map(({ agent, depth }) => ({ ...agent, depth })) });
    },
  );
}
