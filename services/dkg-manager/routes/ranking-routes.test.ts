import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { mirrorAgent } from '../operations/mirror-agent.js';
import { recordRunEvidence } from '../operations/record-evidence.js';
import { rankingApp } from '../testing/ranking-app.js';
import { cardSkill, registryRecord, runRecord } from '../testing/registry-records.js';

const database = useTestDatabase('dkg_rankings');
let sql: Database;
let dkg: ReturnType<typeof rankingApp>;
let byLevel: ReturnType<typeof rankingApp>;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-ranking-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  dkg = rankingApp(sql, { enhanced: true });
  byLevel = rankingApp(sql, { enhanced: false });
});
afterAll(async () => {
  await sql?.end();
});

const mirror = (record: AgentRegistryRecord) =>
  sql.begin((tx) => mirrorAgent(dkg.context, tx as unknown as Database, record));
const run = (record: AgentRunRecord) =>
  sql.begin((tx) => recordRunEvidence(dkg.context, tx as unknown as Database, record));
/** `successes` successful runs and `failures` failed ones of `agentId` in `skill`. */
async function runs(agentId: string, skill: string, successes: number, failures: number) {
  for (let i = 0; i < successes + failures; i++)
    await run(runRecord(agentId, { skill, outcome: i < successes ? 'succeeded' : 'failed' }));
}
const get = async <T>(app: ReturnType<typeof rankingApp>, path: string) => {
  const res = await app.call('GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};
const create = async (registry: string, name: string) => {
  const res = await dkg.call('POST', `/${registry}`, { body: { name } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { entry: { id: string } }).entry.id;
};
const relate = async (body: Record<string, unknown>) => {
  const res = await dkg.call('PUT', '/relations', { body });
  expect(res.status, await res.clone().text()).toBe(200);
};
const skillIdOf = async (agentId: string) => {
  const res = await dkg.call('GET', `/agents/${agentId}/relations`);
  const { relations } = (await res.json()) as {
    relations: { type: string; node: { id: string } }[];
  };
  return relations.find((r) => r.type === 'HAS_SKILL')?.node.id as string;
};

interface RankedAgents {
  ranked_by: string;
  agents: {
    agent: { id: string; name: string; status: string };
    level: number | null;
    runs: number;
    successes: number;
    failures: number;
    success_lower_bound: number;
    mean_quality: number | null;
    mean_cost: string | null;
    mean_latency_ms: number | null;
  }[];
  next_cursor: string | null;
}

describe('agents ranked for a skill', () => {
  const steady = registryRecord({
    name: 'Steady',
    skills: [cardSkill('forecasting', 'Forecasting', { level: 2 })],
  });
  const lucky = registryRecord({
    name: 'Lucky',
    skills: [cardSkill('forecast', 'Forecasting', { level: 5 })],
  });
  const idle = registryRecord({
    name: 'Idle',
    skills: [cardSkill('forecasting', 'Forecasting', { level: 4 })],
  });
  let skill: string;

  beforeAll(async () => {
    for (const record of [steady, lucky, idle]) await mirror(record);
    skill = await skillIdOf(steady.agent_id);
    // Lucky's run names its card skill by id, Steady's by name: both are Forecasting.
    await runs(lucky.agent_id, 'forecast', 1, 0);
    await runs(steady.agent_id, 'forecasting', 95, 5);
  });

  it('puts 95 successes in 100 runs above 1 in 1, by the lower bound of the success rate', async () => {
    const ranked = await get<RankedAgents>(dkg, `/rankings/agents?skill_id=${skill}`);
    expect(ranked.ranked_by).toBe('success_lower_bound');
    expect(ranked.agents.map((row) => row.agent.name)).toEqual(['Steady', 'Lucky', 'Idle']);
    const [first, second, third] = ranked.agents;
    expect(first).toMatchObject({ runs: 100, successes: 95, failures: 5, level: 2 });
    expect(first?.success_lower_bound).toBeCloseTo(0.8882, 3);
    expect(second).toMatchObject({ runs: 1, successes: 1, level: 5 });
    expect(second?.success_lower_bound).toBeCloseTo(0.2065, 3);
    expect(first?.mean_cost).toBe('0.5');
    expect(first?.mean_latency_ms).toBe(200);
    expect(third).toMatchObject({ runs: 0, success_lower_bound: 0, mean_cost: null });
  });

  it('ranks by declared level with DKG_ENHANCED_ENABLED off, showing the same numbers', async () => {
    const ranked = await get<RankedAgents>(byLevel, `/rankings/agents?skill_id=${skill}`);
    expect(ranked.ranked_by).toBe('level');
    expect(ranked.agents.map((row) => [row.agent.name, row.level])).toEqual([
      ['Lucky', 5],
      ['Idle', 4],
      ['Steady', 2],
    ]);
    expect(ranked.agents[2]?.runs).toBe(100);
  });

  it("keeps an edge's evidence when its relation is set again with another level", async () => {
    await relate({ type: 'HAS_SKILL', from_id: steady.agent_id, to_id: skill, level: 3 });
    const ranked = await get<RankedAgents>(dkg, `/rankings/agents?skill_id=${skill}`);
    expect(ranked.agents[0]).toMatchObject({
      agent: { name: 'Steady' },
      level: 3,
      runs: 100,
      successes: 95,
    });
    await relate({ type: 'HAS_SKILL', from_id: steady.agent_id, to_id: skill, level: 2 });
  });

  it('pages with next_cursor, each agent once', async () => {
    const first = await get<RankedAgents>(dkg, `/rankings/agents?skill_id=${skill}&limit=2`);
    expect(first.agents.map((row) => row.agent.name)).toEqual(['Steady', 'Lucky']);
    const rest = await get<RankedAgents>(
      dkg,
      `/rankings/agents?skill_id=${skill}&limit=2&cursor=${first.next_cursor}`,
    );
    expect(rest.agents.map((row) => row.agent.name)).toEqual(['Idle']);
    expect(rest.next_cursor).toBeNull();
  });

  it('leaves retired agents out unless asked, their evidence kept', async () => {
    await mirror({ ...lucky, revision: 2, status: 'retired' });
    const active = await get<RankedAgents>(dkg, `/rankings/agents?skill_id=${skill}`);
    expect(active.agents.map((row) => row.agent.name)).toEqual(['Steady', 'Idle']);
    const all = await get<RankedAgents>(
      dkg,
      `/rankings/agents?skill_id=${skill}&include_retired=true`,
    );
    expect(all.agents.find((row) => row.agent.name === 'Lucky')).toMatchObject({
      agent: { status: 'retired' },
      runs: 1,
    });
  });

  it('refuses an unknown skill with a 404 naming skill_id, and bad paging with a 422 naming each field', async () => {
    const unknown = await dkg.call(
      'GET',
      '/rankings/agents?skill_id=00000000-0000-4000-8000-000000000001',
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'skill_id',
    );
    // A tool's id is no skill's.
    const tool = await create('tools', 'Spreadsheet');
    expect((await dkg.call('GET', `/rankings/agents?skill_id=${tool}`)).status).toBe(404);
    const bad = await dkg.call(
      'GET',
      `/rankings/agents?skill_id=nope&limit=0&include_retired=maybe`,
    );
    expect(bad.status).toBe(422);
    const { errors } = (await bad.json()) as { errors: { field: string }[] };
    expect(errors.map((e) => e.field).sort()).toEqual(['include_retired', 'limit', 'skill_id']);
    for (const limit of ['201', 'ten', '-1'])
      expect(
        (await dkg.call('GET', `/rankings/agents?skill_id=${skill}&limit=${limit}`)).status,
      ).toBe(422);
    const cursor = await dkg.call('GET', `/rankings/agents?skill_id=${skill}&cursor=bm90LWEta2V5`);
    expect(cursor.status).toBe(422);
    expect(((await cursor.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'cursor',
    );
  });

  it('needs dkg:read', async () => {
    const res = await dkg.call('GET', `/rankings/agents?skill_id=${skill}`, { scope: 'dkg:write' });
    expect(res.status).toBe(403);
  });
});

describe('evidence that arrives before its edge', () => {
  it("waits for the agent's mirror, then is copied onto its HAS_SKILL", async () => {
    const record = registryRecord({ name: 'Late', skills: [cardSkill('tides', 'Tide tables')] });
    await runs(record.agent_id, 'tides', 3, 1);
    await mirror(record);
    const skill = await skillIdOf(record.agent_id);
    const ranked = await get<RankedAgents>(dkg, `/rankings/agents?skill_id=${skill}`);
    expect(ranked.agents[0]).toMatchObject({ runs: 4, successes: 3, failures: 1 });
  });
});

interface RankedStrategies {
  ranked_by: string;
  strategies: {
    strategy: { name: string };
    runs: number;
    successes: number;
    mean_quality: number | null;
  }[];
}

describe('strategies ranked for a task type', () => {
  it('ranks by the success bound of APPLIES_TO evidence, or by name with the flag off', async () => {
    const agent = registryRecord({ name: 'Planner' });
    await mirror(agent);
    const [proven, fresh, other] = [
      await create('strategies', 'Proven plan'),
      await create('strategies', 'Fresh plan'),
      await create('strategies', 'Unrelated plan'),
    ];
    await relate({ type: 'APPLIES_TO', from_id: proven, to_task_type: 'Trip planning' });
    await relate({ type: 'APPLIES_TO', from_id: fresh, to_task_type: 'trip  planning' });
    for (let i = 0; i < 20; i++)
      await run(
        runRecord(agent.agent_id, {
          strategy: proven,
          task_type: 'Trip Planning',
          outcome: i < 18 ? 'succeeded' : 'failed',
          quality: 0.5,
        }),
      );
    await run(runRecord(agent.agent_id, { strategy: fresh, task_type: 'trip planning' }));
    await run(runRecord(agent.agent_id, { strategy: other, task_type: 'trip planning' }));

    const ranked = await get<RankedStrategies>(
      dkg,
      '/rankings/strategies?task_type=TRIP%20planning',
    );
    expect(ranked.ranked_by).toBe('success_lower_bound');
    expect(ranked.strategies.map((row) => [row.strategy.name, row.runs])).toEqual([
      ['Proven plan', 20],
      ['Fresh plan', 1],
    ]);
    expect(ranked.strategies[0]?.mean_quality).toBeCloseTo(0.5, 10);
    const named = await get<RankedStrategies>(
      byLevel,
      '/rankings/strategies?task_type=trip planning',
    );
    expect(named.ranked_by).toBe('name');
    expect(named.strategies.map((row) => row.strategy.name)).toEqual(['Fresh plan', 'Proven plan']);

    // Evidence for a strategy whose APPLIES_TO is set later is copied by the worker's next pass.
    await relate({ type: 'APPLIES_TO', from_id: other, to_task_type: 'Trip planning' });
    const { evidenceCopyWorker } = await import('../workers/evidence-copy.js');
    const worker = evidenceCopyWorker(dkg.context, { recheckSeconds: 0 });
    await sql.begin((tx) => worker.run(tx as unknown as Database, new AbortController().signal));
    const after = await get<RankedStrategies>(dkg, '/rankings/strategies?task_type=trip planning');
    expect(after.strategies.find((row) => row.strategy.name === 'Unrelated plan')?.runs).toBe(1);
  });

  it('refuses a task type no strategy applies to with a 404 naming task_type', async () => {
    const res = await dkg.call('GET', '/rankings/strategies?task_type=knitting');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'task_type',
    );
    expect((await dkg.call('GET', '/rankings/strategies')).status).toBe(422);
  });
});

describe('what a strategy needs', () => {
  it('lists the tools it uses and those its skills require, with the skills', async () => {
    const [strategy, search, sheet, research, numbers] = [
      await create('strategies', 'Desk research'),
      await create('tools', 'Web search'),
      await create('tools', 'Sheets'),
      await create('skills', 'Source finding'),
      await create('skills', 'Number crunching'),
    ];
    await relate({ type: 'USES', from_id: strategy, to_id: search });
    await relate({ type: 'APPLIES_TO', from_id: strategy, to_id: research });
    await relate({ type: 'APPLIES_TO', from_id: strategy, to_id: numbers });
    await relate({ type: 'APPLIES_TO', from_id: strategy, to_task_type: 'Market sizing' });
    await relate({ type: 'REQUIRES', from_id: research, to_id: search });
    await relate({ type: 'REQUIRES', from_id: numbers, to_id: sheet });
    const needs = await get<{
      tools: { name: string; uses: boolean; required_by: { name: string }[] }[];
      skills: { name: string }[];
      task_types: { name: string }[];
    }>(dkg, `/strategies/${strategy}/needs`);
    expect(needs.tools).toEqual([
      expect.objectContaining({
        name: 'Sheets',
        uses: false,
        required_by: [expect.objectContaining({ name: 'Number crunching' })],
      }),
      expect.objectContaining({
        name: 'Web search',
        uses: true,
        required_by: [expect.objectContaining({ name: 'Source finding' })],
      }),
    ]);
    expect(needs.skills.map((s) => s.name)).toEqual(['Number crunching', 'Source finding']);
    expect(needs.task_types.map((t) => t.name)).toEqual(['Market sizing']);
    const unknown = await dkg.call('GET', `/strategies/${search}/needs`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('id');
  });
});

describe('lineage', () => {
  it('follows DERIVED_FROM back from a version, across entries, nearest first', async () => {
    const base = await create('strategies', 'Base plan');
    const baseVersions = await get<{ versions: { id: string }[] }>(
      dkg,
      `/strategies/${base}/versions`,
    );
    const res = await dkg.call('POST', '/strategies', {
      body: { name: 'Forked plan', derived_from: baseVersions.versions[0]?.id },
    });
    const fork = ((await res.json()) as { entry: { id: string } }).entry.id;
    await dkg.call('POST', `/strategies/${fork}/versions`, { body: { description: 'better' } });
    const lineage = await get<{
      version: number;
      lineage: { entry_id: string; number: number; depth: number; registry: string }[];
      complete: boolean;
    }>(dkg, `/strategies/${fork}/lineage`);
    expect(lineage.version).toBe(2);
    expect(lineage.lineage.map((s) => [s.entry_id, s.number, s.depth])).toEqual([
      [fork, 2, 0],
      [fork, 1, 1],
      [base, 1, 2],
    ]);
    expect(lineage.lineage[2]?.registry).toBe('strategies');
    expect(lineage.complete).toBe(true);
    const fromFirst = await get<{ lineage: unknown[] }>(
      dkg,
      `/strategies/${fork}/lineage?version=1`,
    );
    expect(fromFirst.lineage).toHaveLength(2);
    const missing = await dkg.call('GET', `/strategies/${fork}/lineage?version=9`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'version',
    );
    expect((await dkg.call('GET', `/tools/${fork}/lineage`)).status).toBe(404);
  });
});
