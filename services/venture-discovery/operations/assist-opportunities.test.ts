import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockLanguageModelV4 } from 'ai/test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceDefinition } from '../../catalog.js';
import { httpEnv } from '../../platform/env.js';
import { llmEnv } from '../../platform/llm/env.js';
import { BudgetExceededError, LlmUnavailableError } from '../../platform/llm/errors.js';
import { createLlm } from '../../platform/llm/llm.js';
import { llmOf } from '../../platform/llm/service-llm.js';
import type { Llm, LlmCall } from '../../platform/llm/types.js';
import { discover } from '../domain/discovery.js';
import { filesystemReportStore } from '../reports/filesystem-report-store.js';
import { publishReports } from '../reports/publish-reports.js';
import { versionKey } from '../reports/report-ids.js';
import type { ReportStore } from '../reports/report-store.js';
import { previousThemes } from '../repository/opportunity-store.js';
import { queueRun } from '../repository/run-store.js';
import { signalsSince } from '../repository/signal-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import type { AssistSettings } from './assist-opportunities.js';
import { executeNextRun } from './execute-run.js';
import { seedSampleSources } from './sample-sources.js';

const db = useDiscoveryDatabase('venture-discovery-assist');
const DAY_MS = 86_400_000;
const MAX_OPPORTUNITIES = 3;

/** The layer as a development start builds it for venture-discovery: no key, the local model. */
function localLlm(): Llm {
  const config = z.object({ ENVIRONMENT: httpEnv.ENVIRONMENT, ...llmEnv }).parse({});
  const llm = llmOf(
    serviceDefinition('venture-discovery'),
    config,
    pino({ level: 'silent' }),
    new Registry(),
  );
  if (!llm) throw new Error('venture-discovery calls models');
  return llm;
}

/** A stand-in for the layer whose structured calls all end as `answer` says. */
function scriptedLlm(answer: (call: LlmCall & { schemaName?: string }) => Promise<unknown>): Llm {
  const meta = {
    provider: 'openai' as const,
    model: 'gpt-scripted',
    local: false,
    usage: { inputTokens: 1, outputTokens: 1 },
    cost: { usd: 0, aia: '0.000000' },
    attempts: [],
  };
  const unused = () => {
    throw new Error('not used by discovery');
  };
  return {
    generateObject: async (call) => ({ ...meta, object: (await answer(call)) as never }),
    generateText: unused,
    streamText: unused,
    embed: unused,
    info: () => ({ providers: ['openai'], classes: {}, local: false }),
  };
}

/** The real layer over one provider whose model answers `text` to everything: garbage, say. */
function layerAnswering(text: string): Llm {
  const model = new MockLanguageModelV4({
    provider: 'openai',
    modelId: 'gpt-4.1-mini',
    doGenerate: async () => ({
      content: [{ type: 'text', text }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 5, text: 5, reasoning: 0 },
      },
      warnings: [],
    }),
  });
  const config = z.object({ ENVIRONMENT: httpEnv.ENVIRONMENT, ...llmEnv }).parse({
    ENVIRONMENT: 'test',
    LLM_CLASSES: '{"fast":["openai:gpt-4.1-mini"]}',
    LLM_MAX_RETRIES: '0',
  });
  return createLlm({
    config,
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
    providers: [{ name: 'openai', languageModel: () => model }],
    local: { name: 'local', languageModel: () => model },
    requiredClasses: ['fast'],
  });
}

const settingsOf = (llm: Llm, overrides: Partial<AssistSettings> = {}): AssistSettings => ({
  llm,
  modelClass: 'fast',
  timeoutMs: 10_000,
  maxCostAia: '0.5',
  maxOutputTokens: 400,
  maxOpportunities: MAX_OPPORTUNITIES,
  ...overrides,
});

let folder: string;
let store: ReportStore;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'aia-assist-reports-'));
  store = filesystemReportStore(folder);
  const { context } = discoveryApp(db.sql);
  await seedSampleSources(context);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** Runs one discovery over the sample sources with `assist`; its id and the app. */
async function runWith(assist: AssistSettings | undefined, trigger: string) {
  const now = new Date();
  const app = discoveryApp(db.sql, {
    now: () => now,
    publishReports: (input) => publishReports({ enabled: true, store }, input),
    ...(assist ? { assist } : {}),
  });
  const { run } = await queueRun(db.sql, randomUUID(), trigger, null);
  const themesBefore = await previousThemes(db.sql, run.id);
  expect(await executeNextRun(app.context)).toBe('ran');
  return { ...app, runId: run.id, now, themesBefore };
}

const counted = async (registry: Registry, task: string, outcome: string) => {
  const metric = await registry.getSingleMetric('venture_discovery_llm_assist_total')?.get();
  return (
    metric?.values.find((v) => v.labels.task === task && v.labels.outcome === outcome)?.value ?? 0
  );
};

describe('optional LLM assistance', () => {
  it('adds a summary and entities from the local model, naming it, and leaves every score as the deterministic path gives it', async () => {
    const { call, registry, runId, now, themesBefore, context } = await runWith(
      settingsOf(localLlm()),
      'manual:assist-local',
    );
    const rows = await db.sql<
      {
        id: string;
        theme_key: string;
        score: number;
        components: Record<string, { value: number }>;
        assistance: {
          summary?: { text: string; model: string; local: boolean };
          entities?: { items: unknown[]; themes: string[]; model: string };
        } | null;
      }[]
    >`select id, theme_key, score, components, assistance from discovery_opportunities
       where run_id = ${runId} order by score desc, theme_key`;
    expect(rows.length).toBeGreaterThan(MAX_OPPORTUNITIES);

    // The same signals, run through the deterministic path alone, score the same.
    const deterministic = discover({
      signals: await signalsSince(
        db.sql,
        new Date(now.getTime() - context.settings.windowDays * DAY_MS),
        context.settings.maxSignals,
      ),
      now,
      windowDays: context.settings.windowDays,
      previousThemes: themesBefore,
      capabilities: 'unavailable',
      weights: context.settings.weights,
    });
    const scores = Object.fromEntries(deterministic.candidates.map((c) => [c.key, c.scored.score]));
    for (const row of rows) expect(row.score).toBe(scores[row.theme_key]);

    const assisted = rows.filter((r) => r.assistance !== null);
    expect(assisted).toHaveLength(MAX_OPPORTUNITIES);
    expect(rows.slice(MAX_OPPORTUNITIES).every((r) => r.assistance === null)).toBe(true);
    for (const row of assisted)
      expect(row.assistance?.summary).toMatchObject({ model: 'local:local-fast', local: true });
    expect(await counted(registry, 'summary', 'assisted')).toBe(MAX_OPPORTUNITIES);

    const [best] = assisted;
    if (!best) throw new Error('no assisted opportunity');
    const res = await call('GET', `/opportunities/${best.id}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as { summary: string; assistance: { summary: unknown } };
    expect(view.assistance.summary).toEqual(best.assistance?.summary);
    // The deterministic summary stays what the opportunity says of itself.
    expect(view.summary).not.toBe(best.assistance?.summary?.text);

    const report = JSON.parse(
      (await store.get(versionKey({ kind: 'opportunity', subject: best.id }, 1, 'jsonld')))?.body ??
        '{}',
    ) as { about: { assistance?: { name: string; model: string }[] } };
    expect(report.about.assistance).toContainEqual(
      expect.objectContaining({
        '@type': 'ModelAssistance',
        name: 'summary',
        model: 'local:local-fast',
      }),
    );
    const page = await store.get(versionKey({ kind: 'opportunity', subject: best.id }, 1, 'html'));
    expect(page?.body).toContain('From a language model');
    expect(page?.body).toContain('<code>local:local-fast</code>');
  });

  it.each([
    {
      outcome: 'unavailable',
      answer: async (call: LlmCall) => {
        throw new LlmUnavailableError(call.class, [
          { provider: 'openai', model: 'gpt-scripted', outcome: 'error', status: 500 },
        ]);
      },
    },
    {
      outcome: 'refused',
      answer: async (call: LlmCall) => {
        throw new LlmUnavailableError(call.class, [
          { provider: 'openai', model: 'gpt-scripted', outcome: 'refused', status: 400 },
        ]);
      },
    },
    {
      outcome: 'over_budget',
      answer: async (call: LlmCall) => {
        throw new BudgetExceededError(call.class, '0.5', '3.000000');
      },
    },
    { outcome: 'invalid', answer: async () => ({ summary: 42, entities: 'lots', themes: null }) },
    {
      outcome: 'timeout',
      // Never answers; gives up only when the call is aborted.
      answer: (call: LlmCall) =>
        new Promise((_, reject) =>
          call.signal?.addEventListener('abort', () => reject(call.signal?.reason)),
        ),
    },
    {
      outcome: 'failed',
      answer: async () => {
        throw new TypeError('the provider client crashed');
      },
    },
  ])(
    'keeps the deterministic result when the model ends $outcome, and counts it',
    async ({ outcome, answer }) => {
      const { registry, runId } = await runWith(
        settingsOf(scriptedLlm(answer), { timeoutMs: 50 }),
        `manual:assist-${outcome}`,
      );
      const rows = await db.sql<{ assistance: unknown; summary: string }[]>`
      select assistance, summary from discovery_opportunities where run_id = ${runId}`;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.assistance === null && r.summary.length > 0)).toBe(true);
      expect(await counted(registry, 'summary', outcome)).toBe(MAX_OPPORTUNITIES);
      expect(await counted(registry, 'entities', outcome)).toBe(MAX_OPPORTUNITIES);
      expect(await counted(registry, 'summary', 'assisted')).toBe(0);
    },
  );

  it('keeps the deterministic result when a provider answers garbage through the LLM layer', async () => {
    const { registry, runId } = await runWith(
      settingsOf(layerAnswering('Sure! Here are my thoughts: {not json')),
      'manual:assist-garbage',
    );
    const rows = await db.sql<{ assistance: unknown }[]>`
      select assistance from discovery_opportunities where run_id = ${runId}`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.assistance === null)).toBe(true);
    // The layer calls an answer that is not the object asked for a refusal of that route.
    expect(await counted(registry, 'summary', 'refused')).toBe(MAX_OPPORTUNITIES);
    expect(await counted(registry, 'entities', 'refused')).toBe(MAX_OPPORTUNITIES);
  });

  it('keeps only entities and themes the signals name, not already found, and records the model', async () => {
    const { registry, runId } = await runWith(
      settingsOf(
        scriptedLlm(async (call) =>
          call.schemaName === 'opportunity_summary'
            ? { summary: 'A short, plain summary of what the signals point to.' }
            : {
                entities: [
                  { name: 'Atlantis Dynamics', kind: 'organization' },
                  { name: 'receipts', kind: 'product' },
                ],
                themes: ['interplanetary logistics', 'receipts'],
              },
        ),
      ),
      'manual:assist-grounding',
    );
    const rows = await db.sql<
      {
        themes: string[];
        assistance: { entities?: { items: { name: string }[]; themes: string[]; model: string } };
      }[]
    >`select themes, assistance from discovery_opportunities
       where run_id = ${runId} and assistance is not null`;
    expect(rows).toHaveLength(MAX_OPPORTUNITIES);
    for (const row of rows) {
      const names = row.assistance.entities?.items.map((e) => e.name) ?? [];
      expect(names).not.toContain('Atlantis Dynamics');
      expect(row.assistance.entities?.themes ?? []).not.toContain('interplanetary logistics');
      if (row.assistance.entities)
        expect(row.assistance.entities.model).toBe('openai:gpt-scripted');
    }
    const grounded = rows.filter((r) => r.assistance.entities !== undefined);
    const empty = await counted(registry, 'entities', 'empty');
    expect(grounded.length + empty).toBe(MAX_OPPORTUNITIES);
  });
});
