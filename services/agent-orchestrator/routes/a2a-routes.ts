import { AsyncLocalStorage } from 'node:async_hooks';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import type { Hono, MiddlewareHandler } from 'hono';
import { a2aJsonRpcRoutes } from '../../platform/a2a/index.js';
import { authenticate, type JwtVerifier, requireScopes } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { serviceSubject } from '../../platform/service-identity/subjects.js';
import type { AppEnv } from '../../platform/types.js';
import { agentCardOf } from '../domain/agent-card.js';
import { AgentIdSchema } from '../domain/agent-schemas.js';
import { DurableAgentHandler } from '../execution/durable-handler.js';
import type { PushSettings } from '../execution/push-config-methods.js';
import type { TaskLifecycle } from '../execution/task-lifecycle.js';
import { findAgent } from '../repository/agent-store.js';

export interface AgentA2aRoutesOptions {
  readonly sql: Database;
  readonly lifecycle: TaskLifecycle;
  /** TASK_DEADLINE_SECONDS: how long a task may take, its delegated children included. */
  readonly deadlineSeconds: number;
  readonly verify: JwtVerifier;
  /** A2A_PUBLIC_URL: the origin written into the card; else the request's. */
  readonly publicUrl?: string | undefined;
  /** How long a blocking SendMessage waits for its task to finish (below the request timeout). */
  readonly waitMs: number;
  /** Push notifications; absent: configs are refused (-32003). */
  readonly push?: PushSettings | undefined;
}

/**
 * The one caller exempt from the A2A scope check: the orchestrator itself. Its remote runtime
 * calls agents of this platform with its own service token, which carries no scope, on behalf
 * of a task whose sender already had the scope. Exempt by subject rather than granted
 * `agents:write` in the catalog: a self-entry in its `calls` would make it a caller of itself
 * (callerEnv's AGENT_ORCHESTRATOR_URL, a network policy to itself). The subject can be trusted:
 * only the orchestrator's own key signs `service:agent-orchestrator` tokens, and the verifier
 * refuses a `service:` subject from the issuer.
 */
const ORCHESTRATOR_SUBJECT = serviceSubject('agent-orchestrator');

/**
 * After `authenticate`: every A2A call needs `agents:write`, reads of one's own tasks included
 * (each was created with it; one rule), else 403 (the kit's ForbiddenError). The orchestrator
 * itself is exempt ({@link ORCHESTRATOR_SUBJECT}).
 */
const a2aCaller = (): MiddlewareHandler<AppEnv> => {
  const scoped = requireScopes('agents:write');
  return async function a2aCaller(c, next) {
    if (c.get('principal')?.subject === ORCHESTRATOR_SUBJECT) return next();
    return scoped(c, next);
  };
};

/**
 * Each active agent's A2A 1.0 JSON-RPC endpoint, at its card's URL `POST /a2a/agents/{id}`,
 * with the kit's bearer tokens (the caller owns the tasks it creates). Every call needs
 * `agents:write` ({@link a2aCaller}), checked before the agent is read. The agent is read per
 * request: an unknown or retired one is a 404 and nothing is stored. Its handler
 * ({@link DurableAgentHandler}) is reached through an async-local slot, since the kit's
 * JSON-RPC routes take one handler and here the path names the agent.
 */
export function agentA2aRoutes({
  sql,
  lifecycle,
  deadlineSeconds,
  verify,
  publicUrl,
  waitMs,
  push,
}: AgentA2aRoutesOptions): Hono<AppEnv> {
  const current = new AsyncLocalStorage<A2ARequestHandler>();
  const bearer = authenticate({ verify });
  const caller = a2aCaller();
  const resolveAgent: MiddlewareHandler<AppEnv> = (c, next) =>
    bearer(c, async () => {
      await caller(c, async () => {
        const id = c.req.param('id') ?? '';
        const agent = AgentIdSchema.safeParse(id).success ? await findAgent(sql, id) : undefined;
        if (agent?.status !== 'active')
          throw new NotFoundError(`no active agent ${id} is registered`);
        const card = agentCardOf(agent, publicUrl ?? new URL(c.req.url).origin);
        const handler = new DurableAgentHandler({
          sql,
          lifecycle,
          deadlineSeconds,
          agent,
          card,
          waitMs,
          push,
        });
        await current.run(handler, next);
      });
    });
  return a2aJsonRpcRoutes({
    handler: perRequest(() => {
      const handler = current.getStore();
      if (!handler) throw new Error('no agent was resolved for this A2A request');
      return handler;
    }),
    path: '/a2a/agents/:id',
    authenticate: resolveAgent,
  });
}

/** A handler that forwards every call to the one `of()` gives for the request in progress. */
function perRequest(of: () => A2ARequestHandler): A2ARequestHandler {
  return {
    getAgentCard: () => of().getAgentCard(),
    getAuthenticatedExtendedAgentCard: (p, c) => of().getAuthenticatedExtendedAgentCard(p, c),
    sendMessage: (p, c) => of().sendMessage(p, c),
    sendMessageStream: (p, c) => of().sendMessageStream(p, c),
    getTask: (p, c) => of().getTask(p, c),
    cancelTask: (p, c) => of().cancelTask(p, c),
    createTaskPushNotificationConfig: (p, c) => of().createTaskPushNotificationConfig(p, c),
    getTaskPushNotificationConfig: (p, c) => of().getTaskPushNotificationConfig(p, c),
    listTaskPushNotificationConfigs: (p, c) => of().listTaskPushNotificationConfigs(p, c),
    deleteTaskPushNotificationConfig: (p, c) => of().deleteTaskPushNotificationConfig(p, c),
    resubscribe: (p, c) => of().resubscribe(p, c),
    listTasks: (p, c) => of().listTasks(p, c),
  };
}
