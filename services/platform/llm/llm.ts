import { setTimeout as delay } from 'node:timers/promises';
import {
  asSchema,
  embedMany,
  generateText,
  type ModelMessage,
  Output,
  stepCountIs,
  streamText,
  type ToolSet,
} from 'ai';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { type AttemptsContext, type BudgetedRoute, firstAnswer } from './attempts.js';
import { callBudget, estimateInputTokens, refuseUnaffordable } from './budget.js';
import type { LlmConfig } from './env.js';
import { UnknownModelClassError } from './errors.js';
import { createLlmMetrics } from './metrics.js';
import { providerGuard } from './provider-guard.js';
import { type EnabledProvider, enabledProviders } from './providers.js';
import type { ModelRoute } from './providers-list.js';
import { createRouting, isEmbeddingClass } from './routing.js';
import { streamFromFirstChunk } from './stream.js';
import type { Llm, LlmCall, TextResult } from './types.js';

export interface LlmOptions {
  readonly config: LlmConfig;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Classes the service calls: each must have an enabled provider on staging and production. */
  readonly requiredClasses?: readonly string[];
  /** The providers to route to; by default those the configuration's credentials enable. */
  readonly providers?: readonly EnabledProvider[];
  /** The deterministic local model, serving classes without a provider in development and test. */
  readonly local: EnabledProvider;
  /** Longest Retry-After waited on one route before the next is tried. Default 10 s. */
  readonly maxRetryWaitMs?: number;
  /** How long an open breaker skips a provider before one call may try. Default 30 s. */
  readonly halfOpenAfterMs?: number;
}

/** The prompt fields the AI SDK takes, from a call. */
const promptOf = (
  call: LlmCall,
): { instructions?: string } & ({ prompt: string } | { messages: ModelMessage[] }) => ({
  ...(call.system === undefined ? {} : { instructions: call.system }),
  ...(call.messages ? { messages: call.messages } : { prompt: call.prompt ?? '' }),
});

/** Usage as reported; a count the provider left out is estimated, not taken as free. */
const usageOf = (
  usage: { inputTokens: number | undefined; outputTokens: number | undefined },
  estimate: () => number,
) => ({
  inputTokens: usage.inputTokens ?? estimate(),
  outputTokens: usage.outputTokens ?? 0,
});

/** What every model call of a route's attempt sends. */
const modelCall = (
  call: LlmCall,
  { route, maxOutputTokens }: BudgetedRoute,
  provider: EnabledProvider,
  signal: AbortSignal,
) => ({
  ...SDK_CALL,
  model: provider.languageModel(route.model),
  ...promptOf(call),
  maxOutputTokens,
  temperature: call.temperature,
  abortSignal: signal,
});

/** Runs `work`, then frees the provider slot it held, whatever happened. */
async function releasing<T>(release: () => void, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    release();
  }
}

/** Calls of one embedding request in flight at once (Titan takes one value per request). */
const EMBEDDING_PARALLEL_CALLS = 4;

/** Options every SDK call gets: the layer retries, and nothing records prompts behind its back. */
const SDK_CALL = { maxRetries: 0, experimental_telemetry: { isEnabled: false } } as const;

/**
 * The LLM layer of a service (docs/llm.md): calls name a model class; the class's enabled routes
 * are tried in order with per-provider breakers and concurrency limits, retries that honour
 * Retry-After, per-attempt and per-call deadlines and the caller's cancellation; budgets are
 * checked before anything is sent and bound what each attempt may spend; every answer comes with
 * its usage and its cost in USD and AIA.
 */
export function createLlm(options: LlmOptions): Llm {
  const { config, logger } = options;
  const routing = createRouting(
    config,
    options.providers ?? enabledProviders(config),
    options.local,
    options.requiredClasses ?? [],
  );
  // The SDK's warnings (a setting a model ignores) go to the service's log, not to stderr.
  (globalThis as { AI_SDK_LOG_WARNINGS?: unknown }).AI_SDK_LOG_WARNINGS = (warnings: {
    warnings: unknown[];
    provider?: string;
    model?: string;
  }) => logger.warn(warnings, 'LLM provider warnings');
  const info = routing.info();
  if (info.local)
    logger.warn(
      { classes: info.classes },
      'LLM: the deterministic local model serves classes with no provider key: its answers are synthetic',
    );
  const context: AttemptsContext = {
    providers: routing.providers,
    guards: new Map(
      [...routing.providers.keys()].map((name) => [
        name,
        providerGuard({
          maxConcurrency: config.LLM_MAX_CONCURRENCY,
          halfOpenAfterMs: options.halfOpenAfterMs,
        }),
      ]),
    ),
    metrics: createLlmMetrics(options.registry),
    logger,
    logContent: config.LLM_LOG_CONTENT,
    attemptTimeoutMs: config.LLM_TIMEOUT_MS,
    callTimeoutMs: config.LLM_CALL_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 10_000,
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
  };

  /** A class's routes for text calls: an embedding class takes embeddings only. */
  const textRoutesOf = (modelClass: string): readonly ModelRoute[] => {
    const routes = routing.classes[modelClass];
    if (!routes || isEmbeddingClass(modelClass)) throw new UnknownModelClassError(modelClass);
    return routes;
  };
  /** Checks the call's budget and routes before anything is sent. */
  const plan = (call: LlmCall, extra: { steps?: number; sent?: unknown[] } = {}) => {
    const routes = textRoutesOf(call.class);
    const budget = callBudget(call.class, call.budget, {
      inputTokens: estimateInputTokens(
        call.system,
        call.prompt,
        call.messages,
        ...(extra.sent ?? []),
      ),
      steps: extra.steps ?? 1,
      embeddings: false,
      aiaPerUsd: config.LLM_AIA_PER_USD,
    });
    refuseUnaffordable(routes, budget);
    return { routes, budget, estimate: () => budget.inputTokens };
  };
  const logContent = (call: LlmCall, output: unknown) => {
    if (config.LLM_LOG_CONTENT)
      logger.debug(
        {
          class: call.class,
          system: call.system,
          prompt: call.prompt,
          messages: call.messages,
          output,
        },
        'llm content',
      );
  };
  /** What tool definitions send: their descriptions and input schemas. */
  const toolsSent = (tools: ToolSet | undefined) =>
    tools &&
    Object.entries(tools).map(([name, tool]) => ({
      name,
      description: tool.description,
      input: tool.inputSchema ? asSchema(tool.inputSchema).jsonSchema : undefined,
    }));

  return {
    info: () => info,

    async generateText(call) {
      const steps = call.maxSteps ?? 1;
      const { routes, budget, estimate } = plan(call, { steps, sent: [toolsSent(call.tools)] });
      const { value, meta } = await firstAnswer(
        context,
        'generate_text',
        budget,
        routes,
        call.signal,
        (route, provider, signal, release) =>
          releasing(release, async () => {
            const result = await generateText({
              ...modelCall(call, route, provider, signal),
              tools: call.tools,
              stopWhen: stepCountIs(steps),
            });
            return {
              value: {
                text: result.text,
                toolCalls: result.steps.flatMap((step) =>
                  step.toolCalls.map((c) => ({ toolName: c.toolName, input: c.input })),
                ),
              },
              usage: usageOf(result.totalUsage, estimate),
            };
          }),
        call.timeoutMs,
      );
      logContent(call, value.text);
      return { ...value, ...meta };
    },

    async generateObject<S extends z.ZodType>(call: LlmCall & { schema: S; schemaName?: string }) {
      const schema = asSchema(call.schema).jsonSchema;
      const { routes, budget, estimate } = plan(call, { sent: [schema] });
      const { value, meta } = await firstAnswer<z.output<S>>(
        context,
        'generate_object',
        budget,
        routes,
        call.signal,
        (route, provider, signal, release) =>
          releasing(release, async () => {
            const result = await generateText({
              ...modelCall(call, route, provider, signal),
              output: Output.object({ schema: call.schema, name: call.schemaName }),
            });
            // Validated by the SDK against the schema; a refusal throws and the next route tries.
            return {
              value: result.output as z.output<S>,
              usage: usageOf(result.totalUsage, estimate),
            };
          }),
        call.timeoutMs,
      );
      logContent(call, value);
      return { object: value, ...meta };
    },

    streamText(call) {
      return streamFromFirstChunk(call.signal, (read, signal) => {
        const { routes, budget, estimate } = plan(call);
        return firstAnswer(
          context,
          'stream_text',
          budget,
          routes,
          signal,
          async (route, provider, attemptSignal, release) => {
            const stream = streamText({
              ...modelCall(call, route, provider, attemptSignal),
              // Errors arrive as stream parts and decide the fallback; the SDK's default logs them.
              onError: () => {},
            });
            return read(stream.fullStream, release, estimate);
          },
          call.timeoutMs,
        ).then(({ value, meta }): TextResult => {
          logContent(call, value);
          return { text: value, toolCalls: [], ...meta };
        });
      });
    },

    async embed(call) {
      const all = routing.classes[call.class];
      if (!all || !isEmbeddingClass(call.class))
        throw new UnknownModelClassError(`${call.class} (embeddings take an embedding class)`);
      // Vectors of different models do not compare: fall back only to the same model elsewhere
      // (OpenAI's on Azure), never to another one.
      const routes = all.filter((route) => route.model === all[0]?.model);
      const estimate = () => estimateInputTokens(...call.values);
      const budget = callBudget(call.class, call.budget, {
        inputTokens: estimate(),
        steps: 1,
        embeddings: true,
        aiaPerUsd: config.LLM_AIA_PER_USD,
      });
      refuseUnaffordable(routes, budget);
      const { value, meta } = await firstAnswer(
        context,
        'embeddings',
        budget,
        routes,
        call.signal,
        ({ route }, provider, signal, release) =>
          releasing(release, async () => {
            const embeddingModel = provider.embeddingModel;
            if (!embeddingModel) throw new Error(`${provider.name} has no embedding models`);
            const result = await embedMany({
              ...SDK_CALL,
              model: embeddingModel(route.model),
              values: call.values,
              maxParallelCalls: EMBEDDING_PARALLEL_CALLS,
              abortSignal: signal,
            });
            // Some providers (Gemini) report no token count for embeddings: estimated then.
            const tokens = Number.isFinite(result.usage.tokens) ? result.usage.tokens : estimate();
            return { value: result.embeddings, usage: { inputTokens: tokens, outputTokens: 0 } };
          }),
        call.timeoutMs,
      );
      return { embeddings: value, ...meta };
    },
  };
}
