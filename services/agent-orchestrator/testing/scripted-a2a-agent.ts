import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentCard, Artifact, Message, TaskState } from '@a2a-js/sdk';
import {
  AgentEvent,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import { agentCardRoute } from '../../platform/a2a/agent-card-route.js';
import { a2aJsonRpcRoutes } from '../../platform/a2a/json-rpc-routes.js';
import { EchoExecutor } from '../../platform/a2a/testing/executors.js';
import type { AppEnv } from '../../platform/types.js';

/** What the scripted agent's failing task says, and what its costed task reports. */
export const SCRIPTED_FAILURE = 'the scripted agent broke down';
export const SCRIPTED_COST_AIA = '1.5';

const HTTP_UNAVAILABLE = 503;

/**
 * The SDK's echo agent, with a script: `fail` fails the task saying {@link SCRIPTED_FAILURE},
 * `ask` leaves it input-required, `cost` completes it reporting `metadata.cost.aia`; `wait` works
 * until it is canceled; any other text is echoed. Canceled task ids are kept.
 */
class ScriptedExecutor extends EchoExecutor {
  readonly canceled = new Set<string>();

  override async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = context;
    const text = context.userMessage.parts
      .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
      .join('');
    const end = (state: TaskState, reason?: string, metadata: Record<string, unknown> = {}) => {
      bus.publish(
        AgentEvent.task({
          id: taskId,
          contextId,
          artifacts: [],
          history: [],
          metadata,
          status: {
            state,
            message:
              reason === undefined
                ? undefined
                : Message.fromJSON({
                    messageId: crypto.randomUUID(),
                    role: 'ROLE_AGENT',
                    parts: [{ text: reason }],
                  }),
            timestamp: new Date().toISOString(),
          },
        }),
      );
      bus.finished();
    };
    if (text === 'fail') return end(TaskState.TASK_STATE_FAILED, SCRIPTED_FAILURE);
    if (text === 'ask') return end(TaskState.TASK_STATE_INPUT_REQUIRED, 'which colour?');
    if (text === 'cost')
      return end(TaskState.TASK_STATE_COMPLETED, undefined, { cost: { aia: SCRIPTED_COST_AIA } });
    return super.execute(context, bus);
  }

  override async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    this.canceled.add(taskId);
    await super.cancelTask(taskId, bus);
  }
}

/**
 * An agent that asks before it answers: a new task goes input-required asking
 * {@link ASKING_QUESTION}; the answer (a message naming the task) completes it with
 * `colour: <answer>`.
 */
class AskingExecutor extends EchoExecutor {
  override async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = context;
    const text = context.userMessage.parts
      .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
      .join('');
    const answered = context.task !== undefined;
    bus.publish(
      AgentEvent.task({
        id: taskId,
        contextId,
        artifacts: answered
          ? [Artifact.fromJSON({ artifactId: 'colour', parts: [{ text: `colour: ${text}` }] })]
          : [],
        history: [],
        metadata: {},
        status: {
          state: answered ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_INPUT_REQUIRED,
          message: answered
            ? undefined
            : Message.fromJSON({
                messageId: crypto.randomUUID(),
                role: 'ROLE_AGENT',
                parts: [{ text: ASKING_QUESTION }],
              }),
          timestamp: new Date().toISOString(),
        },
      }),
    );
    bus.finished();
  }
}

/** An agent that fails every task, saying {@link SCRIPTED_FAILURE}. */
class FailingExecutor extends EchoExecutor {
  override async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    bus.publish(
      AgentEvent.task({
        id: context.taskId,
        contextId: context.contextId,
        artifacts: [],
        history: [],
        metadata: {},
        status: {
          state: TaskState.TASK_STATE_FAILED,
          message: Message.fromJSON({
            messageId: crypto.randomUUID(),
            role: 'ROLE_AGENT',
            parts: [{ text: SCRIPTED_FAILURE }],
          }),
          timestamp: new Date().toISOString(),
        },
      }),
    );
    bus.finished();
  }
}

/** What the asking agent asks. */
export const ASKING_QUESTION = 'which colour should it be?';

/** The scripted agent's routes at `url`: its card, its JSON-RPC endpoint, a broken endpoint. */
function scriptedApp(
  url: string,
  executor: ScriptedExecutor,
  answers: { delayMs: number },
): Hono<AppEnv> {
  const cardAt = (path: string) =>
    AgentCard.fromJSON({
      name: 'scripted agent',
      description: 'Answers as its script says',
      version: '1.0.0',
      supportedInterfaces: [
        { url: `${url}${path}`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ],
      capabilities: { streaming: false, pushNotifications: false },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 'script', name: 'script', description: 'Follows a script', tags: ['test'] }],
    });
  const app = new Hono<AppEnv>();
  app.post('/broken', (c) => c.text('down for maintenance', HTTP_UNAVAILABLE));
  app.route('/broken', agentCardRoute({ card: cardAt('/broken') }));
  app.route('/', agentCardRoute({ card: cardAt('/a2a') }));
  const handler = new DefaultRequestHandler(cardAt('/a2a'), new InMemoryTaskStore(), executor);
  // An answer held back after the task started: a caller's attempt aborted meanwhile has sent it.
  app.use('/a2a', async (_c, next) => {
    await next();
    if (answers.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, answers.delayMs));
  });
  app.route('/a2a', a2aJsonRpcRoutes({ handler, anonymous: true }));
  for (const [path, other] of [
    ['/asking', new AskingExecutor()],
    ['/failing', new FailingExecutor()],
  ] as const) {
    const card = cardAt(`${path}/a2a`);
    const otherHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), other);
    app.route(path, agentCardRoute({ card }));
    app.route(`${path}/a2a`, a2aJsonRpcRoutes({ handler: otherHandler, anonymous: true }));
  }
  return app;
}

/**
 * For a test file: an A2A agent outside the platform (the SDK's request handler, tasks in
 * memory, no authentication) on a loopback port. `cardUrl` is its card; `brokenCardUrl` a card
 * whose JSON-RPC interface answers every call with HTTP 503; `askingCardUrl` an agent that asks
 * before it answers (see {@link ASKING_QUESTION}); `failingCardUrl` one that fails every task.
 * `answers.delayMs` holds each answer of `cardUrl`'s interface back that long (default 0).
 */
export function useScriptedA2aAgent() {
  const agent = {} as {
    url: string;
    cardUrl: string;
    brokenCardUrl: string;
    askingCardUrl: string;
    failingCardUrl: string;
    executor: ScriptedExecutor;
    answers: { delayMs: number };
    server: Server;
  };
  beforeAll(async () => {
    agent.executor = new ScriptedExecutor();
    agent.answers = { delayMs: 0 };
    let app: Hono<AppEnv> | undefined;
    // The routes need the server's URL for their cards: they are made once it listens.
    agent.server = await new Promise<Server>((resolve) => {
      const started = serve(
        {
          fetch: (request) =>
            app?.fetch(request) ?? new Response(null, { status: HTTP_UNAVAILABLE }),
          hostname: '127.0.0.1',
          port: 0,
        },
        () => resolve(started as Server),
      ) as Server;
    });
    agent.url = `http://127.0.0.1:${(agent.server.address() as AddressInfo).port}`;
    app = scriptedApp(agent.url, agent.executor, agent.answers);
    agent.cardUrl = `${agent.url}/.well-known/agent-card.json`;
    agent.brokenCardUrl = `${agent.url}/broken/.well-known/agent-card.json`;
    agent.askingCardUrl = `${agent.url}/asking/.well-known/agent-card.json`;
    agent.failingCardUrl = `${agent.url}/failing/.well-known/agent-card.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => agent.server?.close(resolve));
  });
  return agent;
}
