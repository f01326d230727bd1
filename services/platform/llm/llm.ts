import { setTimeout as delay } from 'node:timers/promises';
import { embedMany, generateText, type ModelMessage, Output, stepCountIs, streamText } from 'ai';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import { type AttemptsContext, firstAnswer } from './attempts.js';
import { budgetEmbeddingRoutes, budgetRoutes, estimateInputTokens } from './budget.js';
import type { LlmConfig } from './env.js';
import { UnknownModelClassError } from './errors.js';
import { createLlmMetrics } from './metrics.js';
import { providerGuard } from './provider-guard.js';
import { type EnabledProvider, enabledProviders } from './providers.js';
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
}

/** The prompt fields the AI SDK takes, from a call. */
const promptOf = (
  call: LlmCall,
): { instructions?: string } & ({ prompt: string } | { messages: ModelMessage[] }) => ({
  ...(call.system === undefined ? {} : { instructions: call.system }),
  ...(call.messages ? { messages: call.messages } : { prompt: call.prompt ?? '' }),
});

const usageOf = (usage: { inputTokens: number | undefined; outputTokens: number | undefined }) => ({
  inputTokens: usage.inputTokens ?? 0,
  outputTokens: usage.outputTokens ?? 0,
});

/**
 * The LLM layer of a service (docs/llm.md): calls name a model class; the class's enabled routes
 * are tried in order with per-provider breakers and concurrency limits, retries that honour
 * Retry-After, per-attempt deadlines and the caller's cancellation; budgets are checked before
 * anything is sent; every answer comes with its usage and its cost in USD and AIA.
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
        providerGuard({ maxConcurrency: config.LLM_MAX_CONCURRENCY }),
      ]),
    ),
    metrics: createLlmMetrics(options.registry),
    logger,
    aiaPerUsd: config.LLM_AIA_PER_USD,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    maxRetryWaitMs: options.maxRetryWaitMs ?? 10_000,
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
  };
  const routesOf = (modelClass: string) => {
    const routes = routing.classes[modelClass];
    if (!routes) throw new UnknownModelClassError(modelClass);
    return routes;
  };
  const textRoutes = (call: LlmCall, ...extra: unknown[]) =>
    budgetRoutes(
      call.class,
      routesOf(call.class),
      call.budget,
      estimateInputTokens(call.system, call.prompt, call.messages, ...extra),
      config.LLM_AIA_PER_USD,
    );
  const withTimeout = (call: LlmCall) =>
    call.timeoutMs === undefined ? context : { ...context, timeoutMs: call.timeoutMs };
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

  return {
    info: () => info,

    async generateText(call) {
      const { value, meta } = await firstAnswer(
        withTimeout(call),
        'generate_text',
        call.class,
        textRoutes(call, call.tools && Object.keys(call.tools)),
        call.signal,
        async ({ route, maxOutputTokens }, provider, signal, release) => {
          try {
            const result = await generateText({
              model: provider.languageModel(route.model),
              ...promptOf(call),
              tools: call.tools,
              stopWhen: stepCountIs(call.maxSteps ?? 1),
              maxOutputTokens,
              temperature: call.temperature,
              maxRetries: 0,
              abortSignal: signal,
            });
            return {
              value: {
                text: result.text,
                toolCalls: result.steps.flatMap((step) =>
                  step.toolCalls.map((c) => ({ toolName: c.toolName, input: c.input })),
                ),
              },
              usage: usageOf(result.totalUsage),
            };
          } finally {
            release();
          }
        },
      );
      logContent(call, value.text);
      return { ...value, ...meta };
    },

    async generateObject<S extends z.ZodType>(call: LlmCall & { schema: S; schemaName?: string }) {
      const { value, meta } = await firstAnswer<z.output<S>>(
        withTimeout(call),
        'generate_object',
        call.class,
        textRoutes(call, 'schema'),
        call.signal,
        async ({ route, maxOutputTokens }, provider, signal, release) => {
          try {
            const result = await generateText({
              model: provider.languageModel(route.model),
              ...promptOf(call),
              output: Output.object({ schema: call.schema, name: call.schemaName }),
              maxOutputTokens,
              temperature: call.temperature,
              maxRetries: 0,
              abortSignal: signal,
            });
            // Validated by the SDK against the schema; a refusal throws and the next route tries.
            return { value: result.output as z.output<S>, usage: usageOf(result.totalUsage) };
          } finally {
            release();
          }
        },
      );
      logContent(call, value);
      return { object: value, ...meta };
    },

    streamText(call) {
      return streamFromFirstChunk((onText) =>
        firstAnswer(
          withTimeout(call),
          'stream_text',
          call.class,
          textRoutes(call),
          call.signal,
          async ({ route, maxOutputTokens }, provider, signal, release) => {
            const stream = streamText({
              model: provider.languageModel(route.model),
              ...promptOf(call),
              maxOutputTokens,
              temperature: call.temperature,
              maxRetries: 0,
              abortSignal: signal,
              // Errors arrive as stream parts and decide the fallback; the SDK's default logs them.
              onError: () => {},
            });
            return onText(stream.fullStream, release);
          },
        ).then(({ value, meta }): TextResult => {
          logContent(call, value);
          return { text: value, toolCalls: [], ...meta };
        }),
      );
    },

    async embed(call) {
      if (!isEmbeddingClass(call.class))
        throw new UnknownModelClassError(`${call.class} (embeddings take an embedding class)`);
      const { value, meta } = await firstAnswer(
        withTimeout(call),
        'embeddings',
        call.class,
        budgetEmbeddingRoutes(
          call.class,
          routesOf(call.class),
          call.budget,
          estimateInputTokens(...call.values),
          config.LLM_AIA_PER_USD,
        ),
        call.signal,
        async ({ route }, provider, signal, release) => {
          try {
            const embeddingModel = provider.embeddingModel;
            if (!embeddingModel) throw new Error(`${provider.name} has no embedding models`);
            const result = await embedMany({
              model: embeddingModel(route.model),
              values: call.values,
              maxRetries: 0,
              abortSignal: signal,
            });
            // Some providers (Gemini) report no token count for embeddings: estimated then.
            const tokens = Number.isFinite(result.usage.tokens)
              ? result.usage.tokens
              : estimateInputTokens(...call.values);
            return { value: result.embeddings, usage: { inputTokens: tokens, outputTokens: 0 } };
          } finally {
            release();
          }
        },
      );
      return { embeddings: value, ...meta };
    },
  };
}
