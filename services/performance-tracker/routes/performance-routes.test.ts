import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import type { Database } from '../../platform/db.js';
import { ingestRun } from '../operations/ingest-run.js';
import { publishRanks } from '../operations/publish-ranks.js';
import { runRecord, TEST_WINDOWS } from '../testing/run-records.js';
import { trackerApp } from '../testing/tracker-app.js';
import { useTrackerDatabase } from '../testing/tracker-database.js';

const database = useTrackerDatabase('tracker_routes');
let tracker: ReturnType<typeof trackerApp>;
beforeAll(() => {
  tracker = trackerApp(database.sql);
});

const context = () => ({ sql: database.sql, windows: TEST_WINDOWS });
const ingest = (record: AgentRunRecord) =>
  database.sql.begin((tx) =>
    ingestRun(context(), tx as unknown as Database, { id: randomUUID(), record }),
  );
const rank = () =>
  database.sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
/** `successes` successful and `failures` failed runs of a new agent in `skill`; its id. */
async function agentWith(skill: string, successes: number, failures: number, cost = '0.5') {
  const agent = randomUUID();
  for (let i = 0; i < successes + failures; i++)
    await ingest(
      runRecord(agent, {
        skill,
        cost,
        duration_ms: 100 * (i + 1),
        outcome: i < successes ? 'succeeded' : 'failed',
      }),
    );
  return agent;
}
const get = async <T>(path: string) => {
  const res = await tracker.call('GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

interface Card {
  agent_id: string | null;
  skill: string | null;
  window: { name: string; from: string; to: string; days?: number; half_life_hours?: number };
  score: number;
  runs: number;
  successes: number;
  failures: number;
  completion_rate: number | null;
  completion_lower_bound: number;
  quality: { mean: number | null; evaluated_runs: number };
  latency_ms: { p50: number | null; p95: number | null };
  cost: { total: string; per_success: string | null };
}
interface Board {
  skill: string | null;
  skill_scorecard?: Card | null;
  agents: (Card & { rank: number })[];
  next_cursor: string | null;
}

describe('GET /v1/leaderboard', () => {
  it('ranks 95 successes in 100 above 1 in 1, showing the numbers each score came from', async () => {
    const skill = `triage-${randomUUID()}`;
    const steady = await agentWith(skill, 95, 5);
    const lucky = await agentWith(skill, 1, 0);
    // The skill's own scorecard follows its runs with the rank publisher's next pass.
    await rank();
    const board = await get<Board>(`/leaderboard?skill=${skill.toUpperCase()}`);
    expect(board.skill).toBe(skill);
    expect(board.agents.map((a) => [a.rank, a.agent_id])).toEqual([
      [1, steady],
      [2, lucky],
    ]);
    const [first] = board.agents;
    expect(first).toMatchObject({ runs: 100, successes: 95, failures: 5, completion_rate: 0.95 });
    expect(first?.completion_lower_bound).toBeCloseTo(0.888, 3);
    expect(first?.score).toBe(first?.completion_lower_bound);
    expect(first?.cost).toEqual({ total: '50', per_success: '0.526315789473684211' });
    expect(first?.window).toMatchObject({ name: 'sliding', days: 7 });
    expect(board.skill_scorecard).toMatchObject({ agent_id: null, skill, runs: 101 });
  });

  it('pages through every agent in rank order with next_cursor', async () => {
    const skill = `paging-${randomUUID()}`;
    const agents = [await agentWith(skill, 3, 0), await agentWith(skill, 2, 1)];
    agents.push(await agentWith(skill, 1, 2), await agentWith(skill, 3, 0));
    const whole = await get<Board>(`/leaderboard?skill=${skill}&limit=200`);
    const seen: (string | null)[] = [];
    const ranks: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Board = await get<Board>(
        `/leaderboard?skill=${skill}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.agents.map((a) => a.agent_id));
      ranks.push(...page.agents.map((a) => a.rank));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(whole.agents.map((a) => a.agent_id));
    expect(new Set(seen)).toEqual(new Set(agents));
    expect(ranks).toEqual([1, 2, 3, 4]);
  });

  it('ranks in the decayed window when asked, showing its half-life', async () => {
    const skill = `decay-${randomUUID()}`;
    const agent = await agentWith(skill, 2, 0);
    const board = await get<Board>(`/leaderboard?skill=${skill}&window=decayed`);
    expect(board.agents[0]?.agent_id).toBe(agent);
    expect(board.agents[0]?.window).toMatchObject({ name: 'decayed', half_life_hours: 72 });
  });

  it('refuses bad input with 422 naming the field, and a token without performance:read with 403', async () => {
    for (const [query, field] of [
      ['window=weekly', 'window'],
      ['limit=0', 'limit'],
      ['limit=1e2', 'limit'],
      ['cursor=not%20a%20cursor', 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'],
      [`skill=${'x'.repeat(201)}`, 'skill'],
      ['skill=%20%20', 'skill'],
    ]) {
      const res = await tracker.call('GET', `/leaderboard?${query}`);
      expect(res.status, query).toBe(422);
      const problem = (await res.json()) as { errors: { field: string }[] };
      expect(
        problem.errors.map((e) => e.field),
        query,
      ).toContain(field);
    }
    const res = await tracker.call('GET', '/leaderboard', { scope: 'dkg:read' });
    expect(res.status).toBe(403);
  });
});

describe('GET /v1/agents/{id}/scorecard', () => {
  it("shows an agent's scorecard over all skills and per skill", async () => {
    const agent = randomUUID();
    await ingest(runRecord(agent, { skill: 'Writing', quality: 0.5, duration_ms: 100 }));
    await ingest(runRecord(agent, { skill: 'writing', quality: 1, duration_ms: 300 }));
    await ingest(runRecord(agent, { skill: 'coding', outcome: 'failed', cost: '1.25' }));
    await ingest(runRecord(agent, { outcome: 'cancelled', cost: '0' }));
    const card = await get<{ agent_id: string; overall: Card; skills: Card[] }>(
      `/agents/${agent}/scorecard`,
    );
    expect(card.overall).toMatchObject({
      agent_id: agent,
      skill: null,
      runs: 4,
      successes: 2,
      failures: 1,
      cancelled: 1,
      quality: { mean: 0.75, evaluated_runs: 2 },
      latency_ms: { p50: 100, p95: 300 },
      cost: { total: '2.25', per_success: '1.125' },
    });
    expect(card.skills.map((s) => [s.skill, s.runs])).toEqual([
      ['coding', 1],
      ['writing', 2],
    ]);
    expect(card.skills[0]).toMatchObject({ score: 0, cost: { per_success: null } });
  });

  it('answers 404 for an agent without runs and 422 naming id for a malformed one', async () => {
    expect((await tracker.call('GET', `/agents/${randomUUID()}/scorecard`)).status).toBe(404);
    const res = await tracker.call('GET', '/agents/not-a-uuid/scorecard');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('id');
  });
});

describe('GET /v1/agents/{id}/rank-history', () => {
  it('records a row each time the agent changes rank, newest first, paged', async () => {
    const skill = `history-${randomUUID()}`;
    const climber = await agentWith(skill, 1, 1);
    await agentWith(skill, 3, 0);
    await rank();
    for (let i = 0; i < 6; i++) await ingest(runRecord(climber, { skill }));
    await rank();
    const first = await get<{ history: { rank: number; previous_rank: number | null }[] }>(
      `/agents/${climber}/rank-history?skill=${skill}&limit=1`,
    );
    expect(first.history).toEqual([expect.objectContaining({ rank: 1, previous_rank: 2 })]);
    const { next_cursor } = first as unknown as { next_cursor: string };
    const second = await get<{ history: { rank: number; previous_rank: number | null }[] }>(
      `/agents/${climber}/rank-history?skill=${skill}&limit=1&cursor=${next_cursor}`,
    );
    expect(second.history).toEqual([expect.objectContaining({ rank: 2, previous_rank: null })]);
  });
});
