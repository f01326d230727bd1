import { randomUUID } from 'node:crypto';
import { Task } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../../platform/service-client/index.js';
import type { Agent } from '../../domain/agent.js';
import { findAgent } from '../../repository/agent-store.js';
import { useRunningOrchestrator } from '../../testing/running-orchestrator.js';
import { delegatesFor, type SkillRanking } from './roster.js';

const running = useRunningOrchestrator('roster');

const register = async (name: string, extra: Record<string, unknown> = {}): Promise<Agent> => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: {
      name: `${name} ${randomUUID().slice(0, 8)}`,
      description: 'On the roster',
      runtime: { kind: 'tool', tool: 'echo' },
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  const { id } = ((await res.json()) as { agent: { id: string } }).agent;
  return (await findAgent(running.sql, id)) as Agent;
};

const taskAsking = (skills: string[]) =>
  Task.fromJSON({
    id: randomUUID(),
    contextId: 'c',
    status: { state: 'TASK_STATE_WORKING' },
    metadata: { skills },
  });

/** A DKG ranking that knows skill `tag` and ranks `agents` for it, in that order. */
const rankingOf = (tag: string, agents: readonly Agent[]): SkillRanking => ({
  search: async (q) =>
    q === tag ? [{ id: 'skill-1', label: 'Skill', name: tag, description: '' }] : [],
  rankAgents: async (skillId) => ({
    skill: { id: skillId, name: tag },
    ranked_by: 'success_lower_bound',
    agents: agents.map((agent) => ({
      agent: { id: agent.id, name: agent.name, status: 'active' },
      level: null,
      runs: 10,
      successes: 9,
      failures: 1,
      success_lower_bound: 0.6,
      mean_quality: null,
      mean_cost: null,
      mean_latency_ms: null,
      max_latency_ms: null,
    })),
    next_cursor: null,
  }),
});

const card = (tag: string) => ({ skills: [{ id: tag, name: tag, description: tag, tags: [tag] }] });

describe('the delegation roster', () => {
  it("takes agents for an asked skill in the DKG manager's ranking order, after the reports", async () => {
    const lead = await register('Lead');
    const report = await register('Report', { manager_id: lead.id });
    const good = await register('Good analyst');
    const better = await register('Better analyst');
    const roster = await delegatesFor(running.sql, lead, taskAsking(['forecasting']), 4, {
      dkg: rankingOf('forecasting', [better, good, lead]),
    });
    // The lead itself is never its own delegate.
    expect(roster.map((agent) => agent.id)).toEqual([report.id, better.id, good.id]);
  });

  it('leaves out ranked agents that have retired', async () => {
    const lead = await register('Lead');
    const gone = await register('Gone');
    const here = await register('Here');
    const retired = await running.orchestrator.call('POST', `/agents/${gone.id}/retire`);
    expect(retired.status).toBeLessThan(300);
    const roster = await delegatesFor(running.sql, lead, taskAsking(['audit']), 4, {
      dkg: rankingOf('audit', [gone, here]),
    });
    expect(roster.map((agent) => agent.id)).toEqual([here.id]);
  });

  it("falls back to the cards' skill tags when the DKG manager cannot answer, or knows no such skill", async () => {
    const tag = `tag-${randomUUID().slice(0, 8)}`;
    const lead = await register('Lead');
    const tagged = await register('Tagged', card(tag));
    const down: SkillRanking = {
      search: async () => {
        throw new ServiceUnavailableError('dkg-manager', 'unreachable');
      },
      rankAgents: async () => {
        throw new Error('not asked');
      },
    };
    for (const dkg of [down, rankingOf('something else', [lead]), undefined]) {
      const roster = await delegatesFor(running.sql, lead, taskAsking([tag]), 4, { dkg });
      expect(roster.map((agent) => agent.id)).toEqual([tagged.id]);
    }
  });

  it('ranks only the skill named exactly as the tag, and falls back to cards when the ranking is empty', async () => {
    const tag = `tag-${randomUUID().slice(0, 8)}`;
    const lead = await register('Lead');
    const tagged = await register('Tagged', card(tag));
    const ranked = await register('Ranked');
    // The search finds a skill whose name only begins like the tag: not that skill.
    const near: SkillRanking = {
      ...rankingOf(tag, [ranked]),
      search: async () => [{ id: 'skill-2', label: 'Skill', name: `${tag}ing`, description: '' }],
    };
    const nobody = rankingOf(tag, []);
    for (const dkg of [near, nobody]) {
      const roster = await delegatesFor(running.sql, lead, taskAsking([tag]), 4, { dkg });
      expect(roster.map((agent) => agent.id)).toEqual([tagged.id]);
    }
  });

  it('has nobody for a task at the maximum depth', async () => {
    const lead = await register('Lead');
    await register('Report', { manager_id: lead.id });
    const deep = Task.fromJSON({ id: 'x', contextId: 'c', metadata: { depth: 4 } });
    expect(await delegatesFor(running.sql, lead, deep, 4)).toEqual([]);
  });
});
