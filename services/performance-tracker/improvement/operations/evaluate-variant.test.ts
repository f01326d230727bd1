import { randomUUID } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTrackerDatabase } from '../../testing/tracker-database.js';
import { loadBenchmarkSets } from '../benchmark-sets.js';
import type { LineageRecorder } from '../lineage/lineage-recorder.js';
import { claimEvaluation, findEvaluation, taskResultsOf } from '../repository/evaluation-store.js';
import { UnrunnableError } from '../runners/benchmark-runner.js';
import { emptyImprovementTables } from '../testing/improvement-database.js';
import { knownAgents } from '../testing/known-agents.js';
import { type Skill, scriptedRunner } from '../testing/scripted-runner.js';
import { seedImprovementCounts } from './count-improvements.js';
import type { ImprovementContext } from './improvement-context.js';
import { registerVariant } from './register-variant.js';
import { requestEvaluation } from './request-evaluation.js';
import { retryPendingLineage } from './retry-lineage.js';
import { LEASE_SECONDS, MAX_ATTEMPTS, runEvaluation } from './run-evaluation.js';

const database = useTrackerDatabase('tracker_improvement');
const benchmarks = loadBenchmarkSets();
const arithmetic = benchmarks.get('arithmetic');
if (!arithmetic) throw new Error('the arithmetic benchmark set is missing');
const taskIds = arithmetic.tasks.map((task) => task.id);
/** The first `n` arithmetic tasks (and `plus` more ids), as a set of task ids. */
const firstTasks = (n: number, plus: readonly string[] = []): Skill =>
  new Set([...taskIds.slice(0, n), ...plus]);

beforeEach(() => emptyImprovementTables(database.sql));

function improvementsCounter() {
  const registry = new Registry();
  return new Counter({
    name: 'agent_improvements_total',
    help: 'test',
    labelNames: ['outcome'],
    registers: [registry],
  });
}
const countOf = async (counter: Counter<'outcome'>, outcome: string) =>
  (await counter.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

/** A parent and a variant agent that know `parent` and `variant` tasks; the context and the runner. */
function setting(parent: Skill, variant: Skill, lineage?: LineageRecorder) {
  const parentId = randomUUID();
  const variantId = randomUUID();
  const scripted = scriptedRunner({
    [parentId]: parent,
    [variantId]: variant,
    [`${parentId}+settings`]: variant,
  });
  const improvements = improvementsCounter();
  const context: ImprovementContext = {
    sql: database.sql,
    benchmarks,
    runner: scripted.runner,
    agents: knownAgents(parentId, variantId),
    improvements,
    ...(lineage ? { lineage } : {}),
  };
  return { parentId, variantId, scripted, improvements, context };
}

/** Registers the variant agent in `arithmetic`, queues its evaluation and runs attempts until it ends. */
async function evaluate(
  s: ReturnType<typeof setting>,
  input: { settings?: Record<string, unknown> } = {},
) {
  const variant = await registerVariant(
    s.context,
    s.parentId,
    {
      kind: 'prompt',
      description: 'Asks for the number alone',
      skill: 'Arithmetic',
      ...(input.settings ? { settings: input.settings } : { variantAgentId: s.variantId }),
    },
    'user:ada',
  );
  await requestEvaluation(s.context, variant.id);
  const outcomes: string[] = [];
  for (let i = 0; i < MAX_ATTEMPTS + 1; i++) {
    // Time passes: an evaluation put back after an error may be taken again.
    await database.sql`update tracker_evaluations set lease_until = null where status = 'queued'`;
    const claimed = await claimEvaluation(database.sql, LEASE_SECONDS);
    if (!claimed) break;
    outcomes.push(await runEvaluation(s.context, claimed, new AbortController().signal));
  }
  const evaluation = await findEvaluation(database.sql, variant.id);
  return { variant, evaluation, outcomes };
}

describe('evaluating a variant against its parent', () => {
  it('promotes a clearly better variant, with every task on both sides and the statistic', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    const { variant, evaluation } = await evaluate(s);
    expect(evaluation).toMatchObject({
      status: 'promoted',
      attempts: 1,
      benchmarkVersion: arithmetic.version,
    });
    expect(evaluation?.statistic).toMatchObject({ better: 10, worse: 0, ties: 2, tasks: 12 });
    expect(evaluation?.statistic?.pValue).toBeCloseTo(1 / 1024, 12);
    expect(evaluation?.reason).toMatch(/^better with confidence/);
    const results = await taskResultsOf(database.sql, variant.id);
    expect(results).toHaveLength(24);
    expect(
      results.filter((r) => r.side === 'variant').every((r) => r.success && r.cost === '0.25'),
    ).toBe(true);
    expect(results.filter((r) => r.side === 'parent' && r.success)).toHaveLength(2);
    // Same tasks, same keys: the parent ran each task once, as did the variant.
    expect(new Set(s.scripted.runs.map((r) => r.runKey)).size).toBe(24);
    expect(await countOf(s.improvements, 'promoted')).toBe(1);
  });

  it('rejects a variant no better than its parent (a tie on every task), as an improvement failure', async () => {
    const s = setting(firstTasks(6), firstTasks(6));
    const { evaluation } = await evaluate(s);
    expect(evaluation?.status).toBe('rejected');
    expect(evaluation?.statistic).toMatchObject({ better: 0, worse: 0, ties: 12, pValue: 1 });
    expect(await countOf(s.improvements, 'rejected')).toBe(1);
    expect(await countOf(s.improvements, 'promoted')).toBe(0);
  });

  it('rejects a variant that wins more tasks than it loses but not with confidence', async () => {
    // The parent knows tasks 0-5; the variant tasks 1-9: 4 wins (6-9), 1 loss (0).
    const s = setting(firstTasks(6), new Set(taskIds.slice(1, 10)));
    const { evaluation } = await evaluate(s);
    expect(evaluation?.status).toBe('rejected');
    expect(evaluation?.statistic).toMatchObject({ better: 4, worse: 1, ties: 7 });
    expect(evaluation?.reason).toMatch(
      /not better with confidence: better on 4, worse on 1, tied on 7 of 12 tasks; one-sided sign test p = 0.18[78] is not below 0\.05$/,
    );
  });

  it('queues an evaluation once: asking again returns the same one', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    const variant = await registerVariant(
      s.context,
      s.parentId,
      {
        kind: 'model_class',
        description: 'A larger model',
        skill: 'arithmetic',
        variantAgentId: s.variantId,
      },
      'user:ada',
    );
    const first = await requestEvaluation(s.context, variant.id);
    const again = await requestEvaluation(s.context, variant.id);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.evaluation.queuedAt).toBe(first.evaluation.queuedAt);
    expect(await claimEvaluation(database.sql, LEASE_SECONDS)).toBeDefined();
    expect(await claimEvaluation(database.sql, LEASE_SECONDS)).toBeUndefined();
  });

  it('waits before taking an evaluation again after a runner error', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    const context: ImprovementContext = {
      ...s.context,
      runner: {
        run: async () => {
          throw new Error('the agent orchestrator is unavailable (unreachable)');
        },
      },
    };
    const variant = await registerVariant(
      context,
      s.parentId,
      { kind: 'prompt', description: 'v', skill: 'arithmetic', variantAgentId: s.variantId },
      'user:ada',
    );
    await requestEvaluation(context, variant.id);
    const claimed = await claimEvaluation(database.sql, LEASE_SECONDS);
    if (!claimed) throw new Error('the evaluation should be queued');
    expect(await runEvaluation(context, claimed, new AbortController().signal)).toBe('requeued');
    expect(await findEvaluation(database.sql, variant.id)).toMatchObject({
      status: 'queued',
      lastError: 'the agent orchestrator is unavailable (unreachable)',
    });
    expect(await claimEvaluation(database.sql, LEASE_SECONDS)).toBeUndefined();
    const [wait] = await database.sql<{ seconds: number }[]>`
      select extract(epoch from lease_until - now())::float8 as seconds from tracker_evaluations`;
    expect(wait?.seconds).toBeGreaterThan(50);
    expect(wait?.seconds).toBeLessThanOrEqual(60);
  });

  it('queues again after a runner error, resumes without rerunning finished tasks, and fails after the last attempt', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    let calls = 0;
    const flaky = s.scripted.runner;
    const context: ImprovementContext = {
      ...s.context,
      runner: {
        run: async (request) => {
          calls++;
          if (calls > 6) throw new Error('the agent orchestrator is unavailable (unreachable)');
          return flaky.run(request);
        },
      },
    };
    const { evaluation, outcomes } = await evaluate({ ...s, context });
    expect(outcomes).toEqual(['requeued', 'requeued', 'failed']);
    expect(evaluation?.status).toBe('failed');
    expect(evaluation?.attempts).toBe(MAX_ATTEMPTS);
    expect(evaluation?.reason).toMatch(
      /could not be done \(attempt 3 of 3\): the agent orchestrator is unavailable/,
    );
    // The six runs that succeeded (three tasks, both sides) were kept and not run again.
    expect(await taskResultsOf(database.sql, evaluation?.variantId ?? '')).toHaveLength(6);
    expect(s.scripted.runs.length).toBe(6);
    expect(await countOf(s.improvements, 'failed')).toBe(1);
  });

  it('fails at once a variant the runner cannot run at all', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    const context: ImprovementContext = {
      ...s.context,
      runner: {
        run: async (request) => {
          if (request.agent.settings)
            throw new UnrunnableError('a variant of changed settings only has no A2A endpoint');
          return s.scripted.runner.run(request);
        },
      },
    };
    const { variant, evaluation, outcomes } = await evaluate(
      { ...s, context },
      { settings: { prompt: 'Numbers only.' } },
    );
    expect(variant.lineageStatus).toBe('local');
    expect(outcomes).toEqual(['failed']);
    expect(evaluation?.reason).toMatch(/no A2A endpoint/);
  });

  it('counts an evaluation once when its lease ran out and another worker finished it', async () => {
    const s = setting(firstTasks(2), firstTasks(12));
    const variant = await registerVariant(
      s.context,
      s.parentId,
      { kind: 'prompt', description: 'v', skill: 'arithmetic', variantAgentId: s.variantId },
      'user:ada',
    );
    await requestEvaluation(s.context, variant.id);
    const slow = await claimEvaluation(database.sql, LEASE_SECONDS);
    await database.sql`update tracker_evaluations set lease_until = now() - interval '1 second'`;
    const other = await claimEvaluation(database.sql, LEASE_SECONDS);
    if (!slow || !other) throw new Error('both workers should have claimed it');
    expect(other.attempt).toBe(2);
    expect(await runEvaluation(s.context, other, new AbortController().signal)).toBe('promoted');
    expect(await runEvaluation(s.context, slow, new AbortController().signal)).toBe('lost');
    expect(await countOf(s.improvements, 'promoted')).toBe(1);
  });

  it('starts the counter of a restarted process at the stored outcomes', async () => {
    await evaluate(setting(firstTasks(2), firstTasks(12)));
    await evaluate(setting(firstTasks(6), firstTasks(6)));
    await evaluate(setting(firstTasks(6), firstTasks(6)));
    const restarted = improvementsCounter();
    await seedImprovementCounts(database.sql, restarted);
    expect(await countOf(restarted, 'promoted')).toBe(1);
    expect(await countOf(restarted, 'rejected')).toBe(2);
    expect(await countOf(restarted, 'failed')).toBe(0);
  });
});

describe('registering a variant', () => {
  it('records its lineage in the knowledge graph when it can, else keeps it pending and tries again', async () => {
    const links: unknown[] = [];
    let reachable = false;
    const lineage: LineageRecorder = {
      record: async (link) => {
        if (!reachable) throw new Error('dkg-manager is unavailable (unreachable)');
        links.push(link);
      },
    };
    const s = setting(firstTasks(1), firstTasks(1), lineage);
    const input = {
      kind: 'strategy_version' as const,
      description: 'Strategy v2',
      skill: 'arithmetic',
      variantAgentId: s.variantId,
    };
    const pending = await registerVariant(s.context, s.parentId, input, 'user:ada');
    expect(pending).toMatchObject({
      lineageStatus: 'pending',
      lineageError: 'dkg-manager is unavailable (unreachable)',
    });
    reachable = true;
    expect(await retryPendingLineage(s.context)).toBe(1);
    expect(links).toEqual([{ variantAgentId: s.variantId, parentAgentId: s.parentId }]);
    const recorded = await registerVariant(s.context, s.parentId, input, 'user:ada');
    expect(recorded.lineageStatus).toBe('recorded');
    expect(await retryPendingLineage(s.context)).toBe(0);
  });

  it('keeps lineage pending without a DKG manager configured', async () => {
    const s = setting(firstTasks(1), firstTasks(1));
    const variant = await registerVariant(
      s.context,
      s.parentId,
      { kind: 'prompt', description: 'p', skill: 'arithmetic', variantAgentId: s.variantId },
      'user:ada',
    );
    expect(variant).toMatchObject({
      lineageStatus: 'pending',
      lineageError: 'the DKG manager is not configured',
    });
  });

  it('refuses a skill without a benchmark set, both or neither of agent and settings, and the parent as its own variant', async () => {
    const s = setting(firstTasks(1), firstTasks(1));
    const refusal = (input: Parameters<typeof registerVariant>[2]) =>
      registerVariant(s.context, s.parentId, input, 'user:ada').then(
        () => undefined,
        (error: { extensions?: { errors?: unknown } }) => error.extensions?.errors,
      );
    expect(
      await refusal({
        kind: 'prompt',
        description: 'p',
        skill: 'poetry',
        variantAgentId: s.variantId,
      }),
    ).toEqual([{ field: 'skill', reason: 'has no benchmark set; known: arithmetic, extraction' }]);
    expect(await refusal({ kind: 'prompt', description: 'p', skill: 'arithmetic' })).toEqual([
      { field: 'variant_agent_id', reason: 'give exactly one of variant_agent_id and settings' },
    ]);
    expect(
      await refusal({
        kind: 'prompt',
        description: 'p',
        skill: 'arithmetic',
        variantAgentId: s.parentId,
      }),
    ).toEqual([{ field: 'variant_agent_id', reason: 'must not be the parent agent itself' }]);
  });
});
