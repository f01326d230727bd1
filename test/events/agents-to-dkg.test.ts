import { randomUUID } from 'node:crypto';
import { type Task, TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunFinished } from '../../services/agent-orchestrator/execution/task-events.js';
import { registryApp } from '../../services/agent-orchestrator/testing/registry-app.js';
import { startDkgConsumers } from '../../services/dkg-manager/operations/dkg-consumers.js';
import { rankingApp } from '../../services/dkg-manager/testing/ranking-app.js';
import { createDatabase, type Database } from '../../services/platform/db.js';
import { migrateService } from '../../services/platform/migrations.js';
import { useTestDatabase } from '../harness/databases.js';
import { useTestRedis } from '../harness/redis.js';
import { type GovernorServer, startGovernorServer } from '../service-clients/governor-server.js';
import { openBus, until } from './fixtures.js';

const dkgDatabase = useTestDatabase('agents_to_dkg');
const orchestratorDatabase = useTestDatabase('agents_to_dkg_orchestrator');
const ledgerDatabase = useTestDatabase('agents_to_dkg_ledger');
const redis = useTestRedis();

let governor: GovernorServer;
let dkgSql: Database;
let orchestratorSql: Database;
let dkgBus: Awaited<ReturnType<typeof openBus>>;
let orchestratorBus: Awaited<ReturnType<typeof openBus>>;
let relay: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  dkgSql = createDatabase({ url: dkgDatabase.url, applicationName: 'agents-to-dkg', max: 8 });
  orchestratorSql = createDatabase({
    url: orchestratorDatabase.url,
    applicationName: 'agents-to-dkg-orchestrator',
    max: 4,
  });
  await migrateService(dkgSql, 'dkg-manager');
  await migrateService(orchestratorSql, 'agent-orchestrator');
  const place = { redisUrl: redis.url, keyPrefix: redis.keyPrefix };
  // Each service on its own bus, as each runs: the orchestrator relays its outbox, the DKG
  // manager consumes in its group.
  orchestratorBus = await openBus('redis', place, 'agent-orchestrator');
  dkgBus = await openBus('redis', place, 'dkg-manager');
  relay = orchestratorBus.bus.startRelay({ sql: orchestratorSql });
});
afterAll(async () => {
  // The relay holds a connection of its own (its leader lock) until it stops.
  await relay?.stop();
  await orchestratorBus?.close();
  await dkgBus?.close();
  await orchestratorSql?.end();
  await dkgSql?.end();
  await governor?.stop();
});

describe('from the agent orchestrator to the DKG ranking, over Redis Streams', () => {
  it('mirrors a registered agent and ranks it by the evidence of its runs', async () => {
    const dkg = rankingApp(dkgSql);
    await startDkgConsumers(dkgBus.bus, dkg.context);
    const orchestrator = registryApp(orchestratorSql, { governorUrl: governor.url });
    const res = await orchestrator.call('POST', '/agents', {
      body: {
        name: 'Cartographer',
        description: 'Draws maps',
        runtime: { kind: 'tool', tool: 'echo' },
        skills: [{ id: 'maps', name: 'Map making', description: 'Maps', tags: ['maps'] }],
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const agentId = ((await res.json()) as { agent: { id: string } }).agent.id;

    const skillId = async () => {
      const relations = await dkg.call('GET', `/agents/${agentId}/relations`);
      if (relations.status !== 200) return undefined;
      const body = (await relations.json()) as {
        relations: { type: string; node: { id: string; name: string } }[];
      };
      return body.relations.find((r) => r.type === 'HAS_SKILL')?.node.id;
    };
    await until('the DKG mirrored the agent', async () => (await skillId()) !== undefined);
    const skill = (await skillId()) as string;

    // The orchestrator ends a task of the agent: its run record names the card skill by id.
    const task = {
      id: randomUUID(),
      contextId: randomUUID(),
      status: { state: TaskState.TASK_STATE_COMPLETED },
      metadata: { skill: 'maps', quality: 0.9, cost: { aia: '1.25' } },
    } as unknown as Task;
    await orchestratorSql.begin((tx) =>
      writeRunFinished(tx as unknown as Database, task, {
        agentId,
        createdAt: new Date(Date.now() - 300),
        parentTaskId: null,
        children: 0,
        failedChildren: 0,
      }),
    );
    interface Ranked {
      agents: {
        agent: { id: string; name: string };
        runs: number;
        mean_quality: number | null;
        mean_cost: string | null;
      }[];
    }
    const rowOf = async () => {
      const ranked = await dkg.call('GET', `/rankings/agents?skill_id=${skill}`);
      return ((await ranked.json()) as Ranked).agents.find((row) => row.agent.id === agentId);
    };
    await until('the run reached the ranking', async () => (await rowOf())?.runs === 1);
    expect(await rowOf()).toMatchObject({
      agent: { name: 'Cartographer' },
      runs: 1,
      mean_quality: 0.9,
      mean_cost: '1.25',
    });

    // A rename in the orchestrator is a new version in the DKG.
    const renamed = await orchestrator.call('PATCH', `/agents/${agentId}`, {
      body: { name: 'Chief cartographer' },
    });
    expect(renamed.status).toBe(200);
    await until(
      'the rename was mirrored',
      async () => (await rowOf())?.agent.name === 'Chief cartographer',
    );
    const versions = await dkg.call('GET', `/agents/${agentId}/versions`);
    expect(((await versions.json()) as { versions: unknown[] }).versions).toHaveLength(2);
  });
});
