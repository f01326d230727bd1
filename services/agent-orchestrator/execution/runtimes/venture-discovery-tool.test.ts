import { Writable } from 'node:stream';
import { type Artifact, Task } from '@a2a-js/sdk';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/harness/databases.js';
import { testServiceKeys, testToken } from '../../../../test/harness/jwt.js';
import {
  type ModuleServer,
  startModuleServer,
} from '../../../../test/service-clients/module-server.js';
import { createServiceClients } from '../../../clients.js';
import { createDatabase, type Database } from '../../../platform/db.js';
import type { DiscoveryContext } from '../../../venture-discovery/operations/discovery-context.js';
import { executeNextRun } from '../../../venture-discovery/operations/execute-run.js';
import { discoveryApp } from '../../../venture-discovery/testing/discovery-app.js';
import type { Agent } from '../../domain/agent.js';
import { RunRefused, type RuntimeRun } from './runtime.js';
import { discoveryRunKey, ventureDiscoveryTool } from './venture-discovery-tool.js';

const database = useTestDatabase('venture_discovery_tool');
let server: ModuleServer;
let sql: Database;
beforeAll(async () => {
  // The sample sources (local files) are added at start; the test drives the runs itself.
  server = await startModuleServer('venture-discovery', database.url, {
    ENVIRONMENT: 'test',
    DISCOVERY_SAMPLE_SOURCES: 'true',
    VENTURE_DISCOVERY_ENABLED: 'false',
  });
  sql = createDatabase({ url: database.url, applicationName: 'discovery-executor', max: 2 });
});
afterAll(async () => {
  await sql?.end();
  await server?.stop();
});

/** The orchestrator's client of the running service, as the kit builds it (its service token). */
const orchestratorDiscovery = () =>
  createServiceClients({
    service: 'agent-orchestrator',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
      VENTURE_DISCOVERY_URL: server.url,
    },
  })['venture-discovery'];

/** Carries out queued runs, as the service's executor worker does, until `stop`. */
function executor(overrides: Partial<DiscoveryContext> = {}) {
  const context = { ...discoveryApp(sql).context, ...overrides };
  let running = true;
  const loop = (async () => {
    while (running)
      if ((await executeNextRun(context)) === 'idle')
        await new Promise((resolve) => setTimeout(resolve, 20));
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const silent = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
const runOf = (taskId: string, signal = new AbortController().signal): RuntimeRun => ({
  task: Task.fromJSON({ id: taskId, contextId: 'c', status: { state: 'TASK_STATE_WORKING' } }),
  agent: {} as Agent,
  prompt: 'find opportunities',
  budgetAia: '1',
  attempt: 0,
  signal,
  ended: async () => false,
  logger: silent,
});
const fast = { pollIntervalMs: 50 };

/** The artifact's JSON. */
const dataOf = (artifacts: Artifact[]) => {
  const part = artifacts[0]?.parts[0]?.content;
  if (part?.$case !== 'data') throw new Error('expected a data part');
  return part.value as {
    run: { id: string; progress: { scored: number } };
    opportunities: { id: string; title: string; score: number; components: object }[];
  };
};

/** What the service itself lists as run `runId`'s best opportunities, read as a user. */
const topOf = async (runId: string) => {
  const token = await testToken({ subject: 'user:ada', scope: 'ventures:read' });
  const res = await fetch(`${server.url}/v1/opportunities?run_id=${runId}&sort=score&limit=5`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string; run_id: string; score: number }[] }).items;
};

const runsOfTask = async (taskId: string) =>
  (
    await sql<{ n: number }[]>`
      select count(*)::int as n from discovery_runs where trigger = ${`manual:${discoveryRunKey(taskId)}`}`
  )[0]?.n;

describe('the venture-discovery tool, on a running Venture Discovery Engine', () => {
  it("starts a run, follows it to its end and answers that run's best opportunities", async () => {
    const running = executor();
    try {
      const answer = await ventureDiscoveryTool(
        { ventureDiscovery: orchestratorDiscovery() },
        runOf('task-1'),
        fast,
      );
      const data = dataOf(answer.artifacts);
      const top = await topOf(data.run.id);
      expect(top.length).toBeGreaterThan(0);
      expect(top.every((o) => o.run_id === data.run.id)).toBe(true);
      expect(data.opportunities.map((o) => o.id)).toEqual(top.map((o) => o.id));
      expect(data.opportunities.map((o) => o.score)).toEqual(top.map((o) => o.score));
      expect(Object.keys(data.opportunities[0]?.components ?? {})).toContain('growth');
      expect(data.run.progress.scored).toBeGreaterThan(0);
      expect(answer.costAia).toBe('0');
      expect(answer.metadata).toMatchObject({ tool: 'venture-discovery' });

      // The task's attempt again: the same run, none queued besides it.
      const again = await ventureDiscoveryTool(
        { ventureDiscovery: orchestratorDiscovery() },
        runOf('task-1'),
        fast,
      );
      expect(dataOf(again.artifacts).run.id).toBe(data.run.id);
      expect(await runsOfTask('task-1')).toBe(1);
    } finally {
      await running.stop();
    }
  });

  it("is refused with the run's reason when the run fails", async () => {
    const running = executor({
      now: () => {
        throw new Error('the clock stopped');
      },
    });
    try {
      const refused = await ventureDiscoveryTool(
        { ventureDiscovery: orchestratorDiscovery() },
        runOf('task-2'),
        fast,
      ).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RunRefused);
      expect((refused as Error).message).toContain('the clock stopped');
    } finally {
      await running.stop();
    }
  });

  it('stops following a run when its signal is aborted (a cancel, the deadline)', async () => {
    // No executor: the run stays queued.
    const controller = new AbortController();
    const following = ventureDiscoveryTool(
      { ventureDiscovery: orchestratorDiscovery() },
      runOf('task-3', controller.signal),
      fast,
    ).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort(new Error('canceled'));
    expect(await following).toMatchObject({ message: 'canceled' });
    expect(await runsOfTask('task-3')).toBe(1);
  });

  it('is refused without a venture discovery client', async () => {
    await expect(ventureDiscoveryTool({}, runOf('task-4'))).rejects.toBeInstanceOf(RunRefused);
  });
});
