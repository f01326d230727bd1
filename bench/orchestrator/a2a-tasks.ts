import { randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { send } from '../ledger/http-client.js';
import { epochMs, type TaskRecord } from './task-loop.js';

/** A task polled for longer than this fails its client: the orchestrator is stuck, not slow. */
const TASK_TIMEOUT_MS = 30_000;

/**
 * How a client waits for its task: `blocking` sends a blocking SendMessage (the server reads the
 * task every 200 ms until it finished, for up to REQUEST_TIMEOUT_MS − 2 s); `polling` sends it
 * with `returnImmediately` and reads it with GetTask every `pollMs`. A blocking answer that is not
 * finished yet is read with GetTask every `pollMs` too, as an A2A client would.
 */
export interface WaitMode {
  readonly kind: 'blocking' | 'polling';
  readonly pollMs: number;
}

/** Where the echo agent answers and who calls it. */
export interface A2aTarget {
  readonly origin: URL;
  readonly agentId: string;
  /** A bearer token of the issuer the orchestrator trusts; its subject owns the tasks. */
  readonly token: string;
  /** Keep-alive connections, one per client. */
  readonly agent: Agent;
}

/** The fields of an A2A 1.0 Task the benchmark reads. */
interface WireTask {
  readonly id: string;
  readonly status?: { readonly state?: string };
}

const FINISHED = new Set([
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_REJECTED',
]);

/**
 * One JSON-RPC 2.0 call to the agent's A2A endpoint as raw HTTP (node:http, keep-alive, the
 * `A2A-Version: 1.0` header), not the SDK client: the client's own CPU shares the machine with
 * the server, so it is kept as small as the ledger benchmark's. Resolves with `result`; throws
 * with the error or the HTTP status otherwise.
 */
async function call(target: A2aTarget, method: string, params: unknown): Promise<unknown> {
  const response = await send(target.agent, target.origin, {
    method: 'POST',
    path: `/a2a/agents/${target.agentId}`,
    token: target.token,
    headers: { 'A2A-Version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  if (response.status !== 200)
    throw new Error(`${method} answered HTTP ${response.status}: ${response.body.slice(0, 300)}`);
  const body = JSON.parse(response.body) as { result?: unknown; error?: { message?: string } };
  if (body.error || body.result === undefined)
    throw new Error(`${method} failed: ${body.error?.message ?? response.body.slice(0, 300)}`);
  return body.result;
}

/** SendMessage's result holds the task under `task`; GetTask's is the task itself. */
const taskOf = (result: unknown): WireTask =>
  ((result as { task?: WireTask }).task ?? result) as WireTask;

const stateOf = (task: WireTask): string => task.status?.state ?? 'TASK_STATE_UNSPECIFIED';

/**
 * Sends the echo agent one message and waits, as `mode` says, until its task completed. Throws
 * when it ends in another state or is not done within 30 s.
 */
export async function runA2aTask(target: A2aTarget, mode: WaitMode): Promise<TaskRecord> {
  const sentAt = epochMs();
  const message = { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'ping' }] };
  const configuration = { returnImmediately: mode.kind === 'polling' };
  let task = taskOf(await call(target, 'SendMessage', { message, configuration }));
  const deadline = sentAt + TASK_TIMEOUT_MS;
  while (!FINISHED.has(stateOf(task))) {
    if (epochMs() > deadline)
      throw new Error(`task ${task.id} still ${stateOf(task)} after ${TASK_TIMEOUT_MS} ms`);
    await sleep(mode.pollMs);
    task = taskOf(await call(target, 'GetTask', { id: task.id }));
  }
  const doneAt = epochMs();
  if (stateOf(task) !== 'TASK_STATE_COMPLETED')
    throw new Error(`task ${task.id} ended ${stateOf(task)}, not completed`);
  return { jobId: task.id, sentAt, doneAt };
}
