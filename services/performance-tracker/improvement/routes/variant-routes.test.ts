import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError as UpstreamUnavailableError } from '../../../platform/service-client/index.js';
import { useTrackerDatabase } from '../../testing/tracker-database.js';
import { loadBenchmarkSets } from '../benchmark-sets.js';
import type { ImprovementContext } from '../operations/improvement-context.js';
import { runEvaluation } from '../operations/run-evaluation.js';
import { claimEvaluation } from '../repository/evaluation-store.js';
import { improvementApp } from '../testing/improvement-app.js';
import { emptyImprovementTables } from '../testing/improvement-database.js';
import { knownAgents } from '../testing/known-agents.js';
import { scriptedRunner } from '../testing/scripted-runner.js';

const database = useTrackerDatabase('tracker_variant_routes');
const benchmarks = loadBenchmarkSets();
const parent = randomUUID();
const variantAgent = randomUUID();
const scripted = scriptedRunner({
  [parent]: (task) => task.id.startsWith('add-'),
  [variantAgent]: () => true,
});
const agents = knownAgents(parent, variantAgent);
let context: ImprovementContext;
let api: ReturnType<typeof improvementApp>;
beforeAll(() => {
  context = { sql: database.sql, benchmarks, runner: scripted.runner, agents };
  api = improvementApp(context);
});
beforeEach(() => emptyImprovementTables(database.sql));

interface VariantBody {
  id: string;
  parent_agent_id: string;
  variant_agent_id: string | null;
  skill: string;
  lineage: { status: string; error: string | null };
  evaluation: { status: string; benchmark: { skill: string; version: string } } | null;
}
const register = async (body: unknown, scope?: string) =>
  api.call('POST', `/agents/${parent}/variants`, { body, ...(scope ? { scope } : {}) });
const problemFields = async (res: Response) =>
  ((await res.json()) as { errors?: { field: string }[] }).errors?.map((e) => e.field);
const VALID = {
  kind: 'prompt',
  description: 'Numbers only',
  skill: 'Arithmetic',
  variant_agent_id: variantAgent,
};

describe('POST /v1/agents/{id}/variants', () => {
  it('registers a variant of the agent (201), its lineage pending without a DKG manager', async () => {
    const res = await register(VALID);
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as VariantBody;
    expect(body).toMatchObject({
      parent_agent_id: parent,
      variant_agent_id: variantAgent,
      skill: 'arithmetic',
      lineage: { status: 'pending' },
      evaluation: null,
    });
  });

  it('answers 422 naming each bad field', async () => {
    const cases: [unknown, string][] = [
      [{ ...VALID, kind: 'vibes' }, 'kind'],
      [{ ...VALID, description: '  ' }, 'description'],
      [{ ...VALID, variant_agent_id: 'agent-7' }, 'variant_agent_id'],
      [{ ...VALID, skill: 'poetry' }, 'skill'],
      [{ ...VALID, settings: { prompt: 'x' } }, 'variant_agent_id'],
      [{ kind: 'prompt', description: 'd', skill: 'arithmetic', settings: {} }, 'settings'],
      [{ ...VALID, extra: 1 }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await register(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(await problemFields(res), JSON.stringify(body)).toContain(field);
    }
    const badAgent = await api.call('POST', '/agents/not-a-uuid/variants', { body: VALID });
    expect(badAgent.status).toBe(422);
    expect(await problemFields(badAgent)).toContain('id');
  });

  it('answers 422 naming the parent (id) or variant_agent_id when the orchestrator knows no such agent, and keeps nothing', async () => {
    const stranger = randomUUID();
    const unknownVariant = await register({ ...VALID, variant_agent_id: stranger });
    expect(unknownVariant.status).toBe(422);
    expect(await problemFields(unknownVariant)).toEqual(['variant_agent_id']);
    const unknownParent = await api.call('POST', `/agents/${stranger}/variants`, { body: VALID });
    expect(unknownParent.status).toBe(422);
    expect(await problemFields(unknownParent)).toEqual(['id']);
    const kept = await database.sql`select count(*)::int as n from tracker_variants`;
    expect(kept[0]?.n).toBe(0);
  });

  it('answers 503 when the orchestrator cannot be asked whether the agents exist', async () => {
    const unreachable = improvementApp({
      ...context,
      agents: {
        accountOf: async () => {
          throw new UpstreamUnavailableError('agent-orchestrator', 'unreachable');
        },
      },
    });
    const res = await unreachable.call('POST', `/agents/${parent}/variants`, { body: VALID });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('answers 403 without performance:admin', async () => {
    expect((await register(VALID, 'performance:read')).status).toBe(403);
  });
});

describe('evaluating through the API', () => {
  it('queues once (202, the same evaluation again), then shows the per-task results and the statistic', async () => {
    const { id } = (await (await register(VALID)).json()) as VariantBody;
    const first = await api.call('POST', `/variants/${id}/evaluate`);
    expect(first.status).toBe(202);
    const queued = (await first.json()) as {
      status: string;
      queued_at: string;
      benchmark: { version: string };
    };
    expect(queued.status).toBe('queued');
    expect(queued.benchmark.version).toBe(benchmarks.get('arithmetic')?.version);
    const again = await api.call('POST', `/variants/${id}/evaluate`);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { queued_at: string }).queued_at).toBe(queued.queued_at);

    const claimed = await claimEvaluation(database.sql, 60);
    if (!claimed) throw new Error('the evaluation should be queued');
    expect(await runEvaluation(context, claimed, new AbortController().signal)).toBe('promoted');

    const res = await api.call('GET', `/variants/${id}`, { scope: 'performance:read' });
    expect(res.status).toBe(200);
    const detail = (await res.json()) as {
      evaluation: { status: string; statistic: { better: number; ties: number; p_value: number } };
      tasks: {
        task_id: string;
        parent: { success: boolean };
        variant: { success: boolean; cost: string };
      }[];
    };
    expect(detail.evaluation.status).toBe('promoted');
    expect(detail.evaluation.statistic).toMatchObject({ better: 9, ties: 3 });
    expect(detail.evaluation.statistic.p_value).toBeCloseTo(1 / 512, 12);
    expect(detail.tasks).toHaveLength(12);
    expect(detail.tasks.find((t) => t.task_id === 'add-17-25')).toMatchObject({
      parent: { success: true },
      variant: { success: true, cost: '0.25' },
    });
    expect(detail.tasks.filter((t) => !t.parent.success)).toHaveLength(9);

    const after = await api.call('POST', `/variants/${id}/evaluate`);
    expect(((await after.json()) as { status: string }).status).toBe('promoted');
  });

  it('lists the agent’s variants with their evaluations, paged', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(((await (await register(VALID)).json()) as VariantBody).id);
    await api.call('POST', `/variants/${ids[0]}/evaluate`);
    const page = async (query: string) =>
      (await (await api.call('GET', `/agents/${parent}/variants${query}`)).json()) as {
        variants: VariantBody[];
        next_cursor: string | null;
      };
    const one = await page('?limit=2');
    expect(one.variants.map((v) => v.id)).toEqual(ids.slice(0, 2));
    expect(one.variants[0]?.evaluation?.status).toBe('queued');
    expect(one.variants[1]?.evaluation).toBeNull();
    const two = await page(`?limit=2&cursor=${one.next_cursor}`);
    expect(two.variants.map((v) => v.id)).toEqual(ids.slice(2));
    expect(two.next_cursor).toBeNull();
  });

  it('answers 404 for an unknown variant and 422 for a malformed id', async () => {
    expect((await api.call('GET', `/variants/${randomUUID()}`)).status).toBe(404);
    expect((await api.call('POST', `/variants/${randomUUID()}/evaluate`)).status).toBe(404);
    const bad = await api.call('GET', '/variants/seven');
    expect(bad.status).toBe(422);
    expect(await problemFields(bad)).toContain('id');
    const badLimit = await api.call('GET', `/agents/${parent}/variants?limit=0`);
    expect(await problemFields(badLimit)).toContain('limit');
  });
});
