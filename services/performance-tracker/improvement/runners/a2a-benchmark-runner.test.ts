import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testServiceToken } from '../../../../test/harness/jwt.js';
import { useRunningOrchestrator } from '../../../agent-orchestrator/testing/running-orchestrator.js';
import { inProcessFetch } from '../../../platform/a2a/testing/client.js';
import { useTrackerDatabase } from '../../testing/tracker-database.js';
import { loadBenchmarkSets } from '../benchmark-sets.js';
import type { ImprovementContext } from '../operations/improvement-context.js';
import { registerVariant } from '../operations/register-variant.js';
import { requestEvaluation } from '../operations/request-evaluation.js';
import { runEvaluation } from '../operations/run-evaluation.js';
import { claimEvaluation, taskResultsOf } from '../repository/evaluation-store.js';
import { knownAgents } from '../testing/known-agents.js';
import { a2aBenchmarkRunner } from './a2a-benchmark-runner.js';
import { UnrunnableError } from './benchmark-runner.js';

const running = useRunningOrchestrator('benchmarks');
const tracker = useTrackerDatabase('tracker_a2a_runner');
const ORIGIN = 'http://running.orchestrator.test';
const benchmarks = loadBenchmarkSets();

/** The orchestrator in process, called with the tracker's service token (as the service sends it). */
const runner = () => {
  const send = inProcessFetch(running.orchestrator.app);
  return a2aBenchmarkRunner({
    orchestratorUrl: ORIGIN,
    fetchImpl: (async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      request.headers.set(
        'authorization',
        `Bearer ${await testServiceToken({ service: 'performance-tracker', audience: 'agent-orchestrator', scope: 'agents:write' })}`,
      );
      return send(request);
    }) as typeof fetch,
  });
};
const llmAgent = async (instructions: string) => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: {
      name: 'Calculator',
      description: 'Does sums',
      runtime: { kind: 'llm', model_class: 'fast', instructions },
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};

describe('the A2A benchmark runner, against a running orchestrator (local model)', () => {
  it('sends each task to the agent, reads the completed task and its cost, and names the same task on a retry', async () => {
    const agentId = await llmAgent('Answer with the number only.');
    const task = benchmarks.get('arithmetic')?.tasks[0];
    if (!task) throw new Error('no arithmetic task');
    const a2a = runner();
    const runKey = `${randomUUID()}:parent:${task.id}`;
    const signal = new AbortController().signal;
    const first = await a2a.run({ agent: { agentId }, task, runKey, signal });
    expect(first).toMatchObject({
      answer: expect.stringContaining('[local model]'),
      costAia: expect.stringMatching(/^\d+(\.\d+)?$/),
    });
    const tasksBefore = (
      await running.sql<{ n: number }[]>`select count(*)::int as n from a2a_tasks`
    )[0]?.n;
    const again = await a2a.run({ agent: { agentId }, task, runKey, signal });
    expect(again).toEqual(first);
    expect(
      (await running.sql<{ n: number }[]>`select count(*)::int as n from a2a_tasks`)[0]?.n,
    ).toBe(tasksBefore);
  });

  it('refuses a settings-only variant: it has no endpoint to send to', async () => {
    const task = benchmarks.get('arithmetic')?.tasks[0];
    if (!task) throw new Error('no arithmetic task');
    await expect(
      runner().run({
        agent: { agentId: randomUUID(), settings: { prompt: 'x' } },
        task,
        runKey: 'k',
        signal: new AbortController().signal,
      }),
    ).rejects.toBeInstanceOf(UnrunnableError);
  });

  it('evaluates a variant agent against its parent end to end: both answer every task, and no difference is no promotion', async () => {
    const parent = await llmAgent('Answer with the number only.');
    const variant = await llmAgent('Think step by step, then answer with the number only.');
    const context: ImprovementContext = {
      sql: tracker.sql,
      benchmarks,
      runner: runner(),
      agents: knownAgents(parent, variant),
    };
    const registered = await registerVariant(
      context,
      parent,
      { kind: 'prompt', description: 'Step by step', skill: 'arithmetic', variantAgentId: variant },
      'user:ada',
    );
    await requestEvaluation(context, registered.id);
    const claimed = await claimEvaluation(tracker.sql, 300);
    if (!claimed) throw new Error('the evaluation should be queued');
    // The local model echoes instead of computing: neither side gets a sum right.
    expect(await runEvaluation(context, claimed, new AbortController().signal)).toBe('rejected');
    const results = await taskResultsOf(tracker.sql, registered.id);
    expect(results).toHaveLength(24);
    expect(results.every((r) => !r.success && r.detail.includes('[local model]'))).toBe(true);
  }, 120_000);
});
