import { randomUUID } from 'node:crypto';
import { SendMessageRequest, TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { sdkClient } from '../../platform/a2a/testing/client.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';

const running = useRunningOrchestrator('a2a_sse');

const ORIGIN = 'http://running.orchestrator.test';
const asAda = async () => ({
  serviceParameters: {
    Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
  },
});

describe("an agent's A2A endpoint, streaming", () => {
  it('streams the task, its answer and its states to completed (SendStreamingMessage); a finished task has nothing to subscribe to', async () => {
    const res = await running.orchestrator.call('POST', '/agents', {
      body: {
        name: 'Streamer',
        description: 'Streams in tests',
        runtime: { kind: 'llm', model_class: 'fast', instructions: 'Answer briefly.' },
      },
    });
    const { id } = ((await res.json()) as { agent: { id: string } }).agent;
    const client = await sdkClient(
      running.orchestrator.app,
      `${ORIGIN}/a2a/agents/${id}/.well-known/agent-card.json`,
    );
    const request = SendMessageRequest.fromJSON({
      message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'Stream it' }] },
    });
    const events = [];
    for await (const event of client.sendMessageStream(request, await asAda()))
      events.push(event.payload);
    expect(events[0]?.$case).toBe('task');
    const states = events.flatMap((e) =>
      e?.$case === 'statusUpdate' ? [e.value.status?.state] : [],
    );
    expect(states.at(-1)).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(states).not.toContain(TaskState.TASK_STATE_SUBMITTED);
    const artifact = events.find((e) => e?.$case === 'artifactUpdate');
    expect(artifact?.$case === 'artifactUpdate' && artifact.value.artifact?.name).toBe('answer');

    const taskId = events[0]?.$case === 'task' ? events[0].value.id : '';
    const subscribe = async () => {
      for await (const _ of client.resubscribeTask({ tenant: '', id: taskId }, await asAda())) {
      }
    };
    await expect(subscribe()).rejects.toThrow('has finished');
  });
});
