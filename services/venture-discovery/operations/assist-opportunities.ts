import type { z } from 'zod';
import {
  BudgetExceededError,
  InvalidBudgetError,
  LlmUnavailableError,
} from '../../platform/llm/errors.js';
import type { Llm, ObjectResult } from '../../platform/llm/types.js';
import {
  ASSIST_SYSTEM,
  type Assistance,
  type AssistOutcome,
  type AssistTask,
  acceptedSummary,
  assistPrompt,
  EntitiesAnswer,
  groundedEntities,
  type ModelOrigin,
  SummaryAnswer,
} from '../domain/assistance.js';
import type { Candidate } from '../domain/discovery.js';
import type { DiscoveryContext } from './discovery-context.js';

/** The class assistance calls: the catalog's `llmClasses` of venture-discovery names it. */
export const ASSIST_MODEL_CLASS = 'fast';
/** The best this many opportunities of a run are assisted (two calls each). */
export const ASSIST_MAX_OPPORTUNITIES = 10;
/** The most output tokens one assistance call may produce. */
export const ASSIST_MAX_OUTPUT_TOKENS = 400;

/** Optional LLM assistance of a run's opportunities (`DISCOVERY_LLM_*`, definition.ts). */
export interface AssistSettings {
  readonly llm: Llm;
  /** The model class asked; the catalog's `llmClasses` names it. */
  readonly modelClass: string;
  /** One call's limit, every route and retry included. */
  readonly timeoutMs: number;
  /** One call's budget, in AIA (the layer refuses a call whose worst case is over it). */
  readonly maxCostAia: string;
  /** The most output tokens one call may produce. */
  readonly maxOutputTokens: number;
  /** The best this many opportunities of a run are assisted; the others are not asked about. */
  readonly maxOpportunities: number;
}

/** The model's answer, or why there is none. */
type Asked<T> = { outcome: 'answered'; value: T; origin: ModelOrigin } | { outcome: AssistOutcome };

class AssistTimeout extends Error {
  override readonly name = 'AssistTimeout';
}

/** How a failed call ended, from the layer's errors (a timeout of every route is a timeout). */
function outcomeOf(error: unknown): AssistOutcome {
  if (error instanceof AssistTimeout) return 'timeout';
  if (error instanceof BudgetExceededError || error instanceof InvalidBudgetError)
    return 'over_budget';
  if (error instanceof LlmUnavailableError) {
    const outcomes = error.attempts.map((a) => a.outcome);
    if (outcomes.length > 0 && outcomes.every((o) => o === 'timeout')) return 'timeout';
    if (outcomes.includes('refused')) return 'refused';
    if (outcomes.length > 0 && outcomes.every((o) => o === 'over_budget')) return 'over_budget';
    return 'unavailable';
  }
  return 'failed';
}

/**
 * One structured call within the settings' deadline and budget, its answer parsed again with
 * `schema` (a provider, or a stand-in, is not trusted to have). The deadline holds even for a
 * model that ignores the abort.
 */
async function ask<S extends z.ZodType>(
  settings: AssistSettings,
  task: AssistTask,
  candidate: Candidate,
  schema: S,
): Promise<Asked<z.output<S>>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AssistTimeout(`${task} took over ${settings.timeoutMs} ms`));
      controller.abort();
    }, settings.timeoutMs);
  });
  try {
    const result: ObjectResult<unknown> = await Promise.race([
      settings.llm.generateObject({
        class: settings.modelClass,
        system: ASSIST_SYSTEM[task],
        prompt: assistPrompt(candidate),
        schema,
        schemaName: `opportunity_${task}`,
        budget: { maxCostAia: settings.maxCostAia, maxOutputTokens: settings.maxOutputTokens },
        timeoutMs: settings.timeoutMs,
        temperature: 0,
        signal: controller.signal,
      }),
      deadline,
    ]);
    const parsed = schema.safeParse(result.object);
    if (!parsed.success) return { outcome: 'invalid' };
    return {
      outcome: 'answered',
      value: parsed.data,
      origin: { model: `${result.provider}:${result.model}`, local: result.local },
    };
  } catch (error) {
    return { outcome: controller.signal.aborted ? 'timeout' : outcomeOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function summaryOf(settings: AssistSettings, candidate: Candidate) {
  const asked = await ask(settings, 'summary', candidate, SummaryAnswer);
  if (asked.outcome !== 'answered') return { outcome: asked.outcome };
  const text = acceptedSummary(asked.value.summary);
  if (text === undefined) return { outcome: 'invalid' as const };
  return { outcome: 'assisted' as const, part: { ...asked.origin, text } };
}

async function entitiesOf(settings: AssistSettings, candidate: Candidate) {
  const asked = await ask(settings, 'entities', candidate, EntitiesAnswer);
  if (asked.outcome !== 'answered') return { outcome: asked.outcome };
  const { items, themes } = groundedEntities(asked.value, candidate);
  if (items.length === 0 && themes.length === 0) return { outcome: 'empty' as const };
  return { outcome: 'assisted' as const, part: { ...asked.origin, items, themes } };
}

/**
 * Asks the model for a summary and for extra entities and themes of each of the best
 * `maxOpportunities` candidates, one call at a time, after `keepAlive` between candidates (it
 * renews the run's lease, and throws when the run was taken over). Each call that fails, is
 * refused, times out, is over budget or answers something invalid or unsupported by the signals
 * leaves that part deterministic; every call is counted by outcome. Scores are not touched.
 */
export async function assistOpportunities(
  context: DiscoveryContext,
  candidates: readonly Candidate[],
  keepAlive: () => Promise<void>,
): Promise<Map<string, Assistance>> {
  const assisted = new Map<string, Assistance>();
  const settings = context.assist;
  if (!settings) return assisted;
  const count = (task: AssistTask, outcome: AssistOutcome) =>
    context.metrics?.assist?.inc({ task, outcome });
  for (const candidate of candidates.slice(0, settings.maxOpportunities)) {
    await keepAlive();
    const summary = await summaryOf(settings, candidate);
    count('summary', summary.outcome);
    const entities = await entitiesOf(settings, candidate);
    count('entities', entities.outcome);
    const assistance: Assistance = {
      ...('part' in summary ? { summary: summary.part } : {}),
      ...('part' in entities ? { entities: entities.part } : {}),
    };
    if (assistance.summary || assistance.entities) assisted.set(candidate.key, assistance);
    const failed = [summary.outcome, entities.outcome].some(
      (o) => o !== 'assisted' && o !== 'empty',
    );
    if (failed)
      context.logger?.info(
        { theme: candidate.key, summary: summary.outcome, entities: entities.outcome },
        'LLM assistance left parts of an opportunity deterministic',
      );
  }
  return assisted;
}
