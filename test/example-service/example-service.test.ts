import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { economicGovernorModule } from '../../services/economic-governor/module.js';
import { type RunningService, startService } from '../../services/platform/runtime.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/databases.js';
import { testPlatformKeysJson, testServiceKeys, testToken } from '../harness/jwt.js';
import { useTestRedis } from '../harness/redis.js';
import { exampleModule } from './example-module.js';

const redis = useTestRedis();
const silent = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('a new service on the kit: typed module, a client of the governor, events over the local transport', () => {
  const databases: TestDatabase[] = [];
  const running: RunningService[] = [];
  let example: RunningService;
  let exampleSql: postgres.Sql;
  let governorSql: postgres.Sql;

  beforeAll(async () => {
    const [governorDb, exampleDb] = await Promise.all([
      createTestDatabase('example_governor'),
      createTestDatabase('example_service'),
    ]);
    databases.push(governorDb, exampleDb);
    const common = {
      HOST: '127.0.0.1',
      JWT_PUBLIC_KEYS: testPlatformKeysJson,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'silent',
    };
    const governor = await startService('economic-governor', {
      env: {
        ...common,
        PORT: String(await findFreePort()),
        DATABASE_URL: governorDb.url,
        TREASURY_PRIVATE_KEY: 't'.repeat(32),
      },
      module: economicGovernorModule,
      logDestination: silent,
    });
    running.push(governor);
    example = await startService('agent-orchestrator', {
      env: {
        ...common,
        PORT: String(await findFreePort()),
        DATABASE_URL: exampleDb.url,
        ENCRYPTION_KEY: 'e'.repeat(32),
        SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'] as string,
        ECONOMIC_GOVERNOR_URL: governor.url,
      },
      module: exampleModule,
      logDestination: silent,
    });
    running.push(example);
    exampleSql = postgres(exampleDb.url, { max: 2, onnotice: () => {} });
    governorSql = postgres(governorDb.url, { max: 2, onnotice: () => {} });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await Promise.all([exampleSql?.end(), governorSql?.end()]);
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('opens the agent account in the ledger as itself, then publishes and consumes its task event once', {
    timeout: 60_000,
  }, async () => {
    const token = await testToken({ subject: 'ada', scope: 'agents:write' });
    const response = await fetch(`${example.url}/v1/example/agents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ skill: 'market-research' }),
    });
    const body = (await response.json()) as {
      agent_id: string;
      account_id: string;
      task_id: string;
    };
    expect(response.status, JSON.stringify(body)).toBe(201);

    // The governor opened the account for the calling service's identity, not for the person.
    const [account] = await governorSql<{ owner: string }[]>`
      select owner from accounts where id = ${body.account_id}`;
    expect(account?.owner).toBe('service:agent-orchestrator');

    // The relay published the outbox; the consumer group handled the event once.
    let seen: { task_id: string; agent_id: string; skill: string }[] = [];
    for (let waited = 0; seen.length === 0 && waited < 20_000; waited += 100) {
      await sleep(100);
      seen = await exampleSql`select task_id, agent_id, skill from example_seen_tasks`;
    }
    expect(seen).toEqual([
      { task_id: body.task_id, agent_id: body.agent_id, skill: 'market-research' },
    ]);
    const [outbox] = await exampleSql<{ n: number }[]>`select count(*)::int as n from outbox`;
    expect(outbox?.n).toBe(0);
    const [processed] = await exampleSql<{ n: number }[]>`
      select count(*)::int as n from processed_events where topic = 'aia.agents.tasks.v1'`;
    expect(processed?.n).toBe(1);
  });

  it('serves its OpenAPI document with the route it added', async () => {
    const token = await testToken({ subject: 'ada', scope: '' });
    const response = await fetch(`${example.url}/v1/openapi.json`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const document = (await response.json()) as { info: { title: string }; paths: object };
    expect(document.info.title).toBe('Example service');
    expect(Object.keys(document.paths)).toEqual(['/example/agents']);
  });
});
