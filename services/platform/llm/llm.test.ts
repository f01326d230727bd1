import type { LanguageModelV4GenerateResult, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { APICallError } from 'ai';
import { convertArrayToReadableStream, MockEmbeddingModelV4, MockLanguageModelV4 } from 'ai/test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BudgetExceededError, LlmConfigurationError, LlmUnavailableError } from './errors.js';
import { createLlm } from './llm.js';
import type { EnabledProvider } from './providers.js';
import type { ProviderName } from './providers-list.js';

const logger = pino({ level: 'silent' });

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

const answer = (text: string, input = 10, output = 5): LanguageModelV4GenerateResult => ({
  content: [{ type: 'text', text }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: usage(input, output),
  warnings: [],
});

const httpError = (status: number, headers: Record<string, string> = {}) =>
  new APICallError({
    message: `HTTP ${status}`,
    url: 'http://provider.test/v1',
    requestBodyValues: {},
    statusCode: status,
    responseHeaders: headers,
    isRetryable: status === 429 || status >= 500,
  });

/** A provider whose one model runs `generate` for every call, counting them. */
function provider(
  name: ProviderName,
  generate: (options: {
    abortSignal?: AbortSignal;
    maxOutputTokens?: number;
  }) => Promise<LanguageModelV4GenerateResult>,
  stream?: () => LanguageModelV4StreamPart[],
) {
  const calls: { maxOutputTokens?: number }[] = [];
  const model = new MockLanguageModelV4({
    provider: name,
    modelId: 'm',
    doGenerate: async (options) => {
      calls.push({ maxOutputTokens: options.maxOutputTokens });
      return generate(options);
    },
    doStream: async () => {
      calls.push({});
      return { stream: convertArrayToReadableStream(stream?.() ?? []) };
    },
  });
  const enabled: EnabledProvider = { name, languageModel: () => model };
  return { enabled, calls };
}

const config = {
  ENVIRONMENT: 'test' as const,
  LLM_CLASSES: {
    fast: [
      { provider: 'openai' as const, model: 'gpt-4.1-mini' },
      { provider: 'anthropic' as const, model: 'claude-haiku-4-5' },
    ],
  },
  LLM_AIA_PER_USD: 100,
  LLM_TIMEOUT_MS: 2_000,
  LLM_CALL_TIMEOUT_MS: 10_000,
  LLM_MAX_RETRIES: 1,
  LLM_MAX_CONCURRENCY: 4,
  LLM_LOG_CONTENT: false,
  AZURE_OPENAI_API_VERSION: 'v1',
};

/** Stands in for the local model: these tests are about routing, not its answers. */
const local = provider('local', async () => answer('[local model] synthetic')).enabled;

const llmWith = (providers: EnabledProvider[], overrides: Partial<typeof config> = {}) => {
  const registry = new Registry();
  const llm = createLlm({
    config: { ...config, ...overrides },
    logger,
    registry,
    providers,
    local,
    requiredClasses: ['fast'],
  });
  return { llm, registry };
};

describe('createLlm', () => {
  it('answers from the first route, with usage and its cost in USD and AIA', async () => {
    const openai = provider('openai', async () => answer('hello', 1000, 500));
    const { llm, registry } = llmWith([openai.enabled]);
    const result = await llm.generateText({ class: 'fast', prompt: 'hi' });
    expect(result).toMatchObject({
      text: 'hello',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      local: false,
      usage: { inputTokens: 1000, outputTokens: 500 },
    });
    // 1,000 × $0.40/M + 500 × $1.60/M = $0.0012, at 100 AIA per USD.
    expect(result.cost.usd).toBeCloseTo(0.0012, 10);
    expect(result.cost.aia).toBe('0.120000');
    const metrics = await registry.getMetricsAsJSON();
    const tokens = metrics.find((m) => m.name === 'llm_tokens_total');
    expect(tokens?.values.map((v) => [v.labels.kind, v.value])).toEqual([
      ['input', 1000],
      ['output', 500],
    ]);
  });

  it('falls back to the next provider on a 500, and says so in the attempts', async () => {
    const openai = provider('openai', async () => {
      throw httpError(500);
    });
    const anthropic = provider('anthropic', async () => answer('from anthropic'));
    const { llm } = llmWith([openai.enabled, anthropic.enabled], { LLM_MAX_RETRIES: 0 });
    const result = await llm.generateText({ class: 'fast', prompt: 'hi' });
    expect(result.text).toBe('from anthropic');
    expect(result.attempts).toEqual([
      { provider: 'openai', model: 'gpt-4.1-mini', outcome: 'error', status: 500 },
      { provider: 'anthropic', model: 'claude-haiku-4-5', outcome: 'ok' },
    ]);
  });

  it('retries the same route after a short Retry-After, and moves on at once from a long one', async () => {
    let first = true;
    const shortWait = provider('openai', async () => {
      if (!first) return answer('second try');
      first = false;
      throw httpError(429, { 'retry-after': '0.05' });
    });
    const retried = await llmWith([shortWait.enabled]).llm.generateText({
      class: 'fast',
      prompt: 'x',
    });
    expect(retried.attempts.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
      'openai rate_limited',
      'openai ok',
    ]);

    const longWait = provider('openai', async () => {
      throw httpError(429, { 'retry-after': '120' });
    });
    const anthropic = provider('anthropic', async () => answer('elsewhere'));
    const moved = await llmWith([longWait.enabled, anthropic.enabled]).llm.generateText({
      class: 'fast',
      prompt: 'x',
    });
    expect(longWait.calls).toHaveLength(1);
    expect(moved.provider).toBe('anthropic');
  });

  it('opens a provider’s breaker after consecutive failures and skips it without calling it', async () => {
    const openai = provider('openai', async () => {
      throw httpError(503);
    });
    const anthropic = provider('anthropic', async () => answer('ok'));
    const { llm } = llmWith([openai.enabled, anthropic.enabled], { LLM_MAX_RETRIES: 0 });
    for (let i = 0; i < 5; i += 1) await llm.generateText({ class: 'fast', prompt: `${i}` });
    expect(openai.calls).toHaveLength(5);
    const result = await llm.generateText({ class: 'fast', prompt: 'after' });
    expect(openai.calls).toHaveLength(5);
    expect(result.attempts[0]).toMatchObject({ provider: 'openai', outcome: 'circuit_open' });
  });

  it('does not count a request the provider refused as its own fault (400): no breaker, next route', async () => {
    const openai = provider('openai', async () => {
      throw httpError(400);
    });
    const anthropic = provider('anthropic', async () => answer('ok'));
    const { llm } = llmWith([openai.enabled, anthropic.enabled]);
    for (let i = 0; i < 6; i += 1) await llm.generateText({ class: 'fast', prompt: `${i}` });
    expect(openai.calls).toHaveLength(6);
  });

  it('ends the attempt at its deadline and tries the next route', async () => {
    const hanging = provider(
      'openai',
      ({ abortSignal }) =>
        new Promise((_, reject) =>
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason)),
        ),
    );
    const anthropic = provider('anthropic', async () => answer('in time'));
    const { llm } = llmWith([hanging.enabled, anthropic.enabled], { LLM_TIMEOUT_MS: 300 });
    const result = await llm.generateText({ class: 'fast', prompt: 'x' });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['timeout', 'ok']);
  });

  it('passes the caller’s abort to the upstream call and tries nothing else', async () => {
    let upstreamAborted = false;
    const hanging = provider(
      'openai',
      ({ abortSignal }) =>
        new Promise((_, reject) =>
          abortSignal?.addEventListener('abort', () => {
            upstreamAborted = true;
            reject(abortSignal.reason);
          }),
        ),
    );
    const anthropic = provider('anthropic', async () => answer('never'));
    const { llm } = llmWith([hanging.enabled, anthropic.enabled]);
    const controller = new AbortController();
    const call = llm.generateText({ class: 'fast', prompt: 'x', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(upstreamAborted).toBe(true);
    expect(anthropic.calls).toHaveLength(0);
  });

  it('refuses a call whose worst case is over its budget before sending anything', async () => {
    const openai = provider('openai', async () => answer('x'));
    const { llm } = llmWith([openai.enabled]);
    await expect(
      llm.generateText({
        class: 'fast',
        prompt: 'a'.repeat(30_000),
        budget: { maxCostAia: '0.0001' },
      }),
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(openai.calls).toHaveLength(0);
  });

  it('lowers the output limit to what the budget leaves after the input', async () => {
    const openai = provider('openai', async () => answer('x'));
    const { llm } = llmWith([openai.enabled]);
    // 0.1 AIA = $0.001; a 3-token prompt leaves ≈ $0.001 / $1.60 per M ≈ 624 output tokens.
    await llm.generateText({ class: 'fast', prompt: 'abcdefghi', budget: { maxCostAia: '0.1' } });
    expect(openai.calls[0]?.maxOutputTokens).toBe(624);
    await llm.generateText({
      class: 'fast',
      prompt: 'abcdefghi',
      budget: { maxCostAia: '0.1', maxOutputTokens: 50 },
    });
    expect(openai.calls[1]?.maxOutputTokens).toBe(50);
  });

  it('falls back when a route answers an object that does not match the schema', async () => {
    const openai = provider('openai', async () => answer('{"score": "high"}'));
    const anthropic = provider('anthropic', async () => answer('{"score": 0.8}'));
    const { llm } = llmWith([openai.enabled, anthropic.enabled]);
    const result = await llm.generateObject({
      class: 'fast',
      prompt: 'score it',
      schema: z.object({ score: z.number().min(0).max(1) }),
    });
    expect(result.object).toEqual({ score: 0.8 });
    expect(result.attempts.map((a) => `${a.provider} ${a.outcome}`)).toEqual([
      'openai refused',
      'anthropic ok',
    ]);
  });

  it('streams from the next route when the first fails before its first chunk', async () => {
    const broken = provider(
      'openai',
      async () => answer(''),
      () => [{ type: 'error', error: httpError(503) }],
    );
    const streaming = provider(
      'anthropic',
      async () => answer(''),
      () => [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Hel' },
        { type: 'text-delta', id: 't', delta: 'lo' },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(4, 2) },
      ],
    );
    const { llm } = llmWith([broken.enabled, streaming.enabled], { LLM_MAX_RETRIES: 0 });
    const { textStream, result } = llm.streamText({ class: 'fast', prompt: 'hi' });
    const chunks: string[] = [];
    for await (const chunk of textStream) chunks.push(chunk);
    expect(chunks).toEqual(['Hel', 'lo']);
    expect(await result).toMatchObject({
      text: 'Hello',
      provider: 'anthropic',
      usage: { inputTokens: 4, outputTokens: 2 },
    });
  });

  it('records a span per call with its class, provider, model and tokens, and no prompt', async () => {
    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    try {
      const openai = provider('openai', async () => answer('traced', 12, 3));
      await llmWith([openai.enabled]).llm.generateText({ class: 'fast', prompt: 'secret plan' });
      const [span] = exporter.getFinishedSpans();
      expect(span?.name).toBe('llm.generate_text fast');
      expect(span?.attributes).toMatchObject({
        'llm.class': 'fast',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4.1-mini',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 3,
        'llm.attempts': 1,
      });
      expect(JSON.stringify(span?.attributes)).not.toContain('secret plan');
    } finally {
      trace.disable();
    }
  });

  it('lets one call try an open breaker’s provider again once its time is up, and closes on success', async () => {
    let failing = true;
    const openai = provider('openai', async () => {
      if (failing) throw httpError(503);
      return answer('recovered');
    });
    const anthropic = provider('anthropic', async () => answer('elsewhere'));
    const llm = createLlm({
      config: { ...config, LLM_MAX_RETRIES: 0 },
      logger,
      registry: new Registry(),
      providers: [openai.enabled, anthropic.enabled],
      local,
      requiredClasses: ['fast'],
      halfOpenAfterMs: 50,
    });
    for (let i = 0; i < 5; i += 1) await llm.generateText({ class: 'fast', prompt: `${i}` });
    expect((await llm.generateText({ class: 'fast', prompt: 'open' })).provider).toBe('anthropic');
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await llm.generateText({ class: 'fast', prompt: 'probe' })).provider).toBe('openai');
    expect((await llm.generateText({ class: 'fast', prompt: 'closed' })).provider).toBe('openai');
  });

  it('refuses a budget that is not a number, naming the field, and sends nothing', async () => {
    const openai = provider('openai', async () => answer('x'));
    const { llm } = llmWith([openai.enabled]);
    for (const maxCostAia of ['abc', '1,5', 'Infinity', '-1', ''])
      await expect(
        llm.generateText({ class: 'fast', prompt: 'x', budget: { maxCostAia } }),
      ).rejects.toThrow(/^budget\.maxCostAia: expected a non-negative amount/);
    await expect(
      llm.generateText({ class: 'fast', prompt: 'x', budget: { maxOutputTokens: 0.5 } }),
    ).rejects.toThrow(/^budget\.maxOutputTokens/);
    expect(openai.calls).toHaveLength(0);
  });

  it('never asks a model for more output than it takes, however large the budget', async () => {
    const openai = provider('openai', async () => answer('x'));
    const { llm } = llmWith([openai.enabled]);
    await llm.generateText({ class: 'fast', prompt: 'x', budget: { maxCostAia: '1000' } });
    expect(openai.calls[0]?.maxOutputTokens).toBe(32_768);
  });

  it('counts what a refused object cost into the call’s cost and usage', async () => {
    const openai = provider('openai', async () => answer('{"score": "high"}', 1000, 1000));
    const anthropic = provider('anthropic', async () => answer('{"score": 0.5}', 0, 0));
    const { llm } = llmWith([openai.enabled, anthropic.enabled]);
    const result = await llm.generateObject({
      class: 'fast',
      prompt: 'score',
      schema: z.object({ score: z.number() }),
    });
    // The refused answer: 1,000 × $0.40/M + 1,000 × $1.60/M = $0.002.
    expect(result.cost.usd).toBeCloseTo(0.002, 10);
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 1000 });
  });

  it('bounds the whole call: no route is tried after the call’s deadline', async () => {
    const hang = (name: ProviderName) =>
      provider(
        name,
        ({ abortSignal }) =>
          new Promise((_, reject) =>
            abortSignal?.addEventListener('abort', () => reject(abortSignal.reason)),
          ),
      );
    const openai = hang('openai');
    const anthropic = hang('anthropic');
    const { llm } = llmWith([openai.enabled, anthropic.enabled]);
    const failure = await llm
      .generateText({ class: 'fast', prompt: 'x', timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LlmUnavailableError);
    expect((failure as LlmUnavailableError).attempts.map((a) => a.outcome)).toEqual(['timeout']);
    expect(anthropic.calls).toHaveLength(0);
  });

  it('logs a failed attempt without the prompt or the answer', async () => {
    const lines: string[] = [];
    const openai = provider('openai', async () => {
      throw new APICallError({
        message: 'bad',
        url: 'https://user:pass@provider.test/v1?key=k',
        requestBodyValues: { prompt: 'the secret plan' },
        statusCode: 500,
        responseBody: '{"echo":"the secret plan"}',
        isRetryable: true,
      });
    });
    const anthropic = provider('anthropic', async () => answer('ok'));
    const llm = createLlm({
      config: { ...config, LLM_MAX_RETRIES: 0 },
      logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }),
      registry: new Registry(),
      providers: [openai.enabled, anthropic.enabled],
      local,
      requiredClasses: ['fast'],
    });
    await llm.generateText({ class: 'fast', prompt: 'the secret plan' });
    const logged = lines.join('');
    expect(logged).toContain('llm attempt failed');
    expect(logged).not.toContain('secret plan');
    expect(logged).not.toContain('user:pass');
  });

  it('says which variable holds a key the provider refused', async () => {
    const lines: string[] = [];
    const openai = provider('openai', async () => {
      throw httpError(401);
    });
    const anthropic = provider('anthropic', async () => answer('ok'));
    const llm = createLlm({
      config,
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
      registry: new Registry(),
      providers: [openai.enabled, anthropic.enabled],
      local,
      requiredClasses: ['fast'],
    });
    expect((await llm.generateText({ class: 'fast', prompt: 'x' })).provider).toBe('anthropic');
    expect(lines.join('')).toContain(
      'openai refused its credentials (HTTP 401): check OPENAI_API_KEY',
    );
  });

  it('stops the upstream stream when the caller stops reading', async () => {
    let aborted = false;
    const model = new MockLanguageModelV4({
      provider: 'openai',
      modelId: 'm',
      doStream: async ({ abortSignal }) => {
        abortSignal?.addEventListener('abort', () => {
          aborted = true;
        });
        return {
          stream: new ReadableStream<LanguageModelV4StreamPart>({
            start(controller) {
              controller.enqueue({ type: 'stream-start', warnings: [] });
              controller.enqueue({ type: 'text-start', id: 't' });
              controller.enqueue({ type: 'text-delta', id: 't', delta: 'first ' });
              // Then nothing: a long generation the caller does not want to wait for.
            },
          }),
        };
      },
    });
    const { llm } = llmWith([{ name: 'openai', languageModel: () => model }]);
    const { textStream, result } = llm.streamText({ class: 'fast', prompt: 'x' });
    for await (const chunk of textStream) {
      expect(chunk).toBe('first ');
      break;
    }
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted).toBe(true);
  });

  it('rejects the stream’s result, not the call, for a class that does not exist', async () => {
    const { llm } = llmWith([provider('openai', async () => answer('x')).enabled]);
    const { result } = llm.streamText({ class: 'nope', prompt: 'x' });
    await expect(result).rejects.toThrow(/no model class "nope"/);
  });

  it('never falls back to another embedding model: its vectors would not compare', async () => {
    const failing = new MockEmbeddingModelV4({
      provider: 'openai',
      modelId: 'text-embedding-3-small',
      doEmbed: async () => {
        throw httpError(500);
      },
    });
    let googleCalls = 0;
    const google = new MockEmbeddingModelV4({
      provider: 'google',
      modelId: 'gemini-embedding-001',
      doEmbed: async () => {
        googleCalls += 1;
        return { embeddings: [[1, 0]], warnings: [] };
      },
    });
    const llm = createLlm({
      config: {
        ...config,
        LLM_MAX_RETRIES: 0,
        LLM_CLASSES: {
          embedding: [
            { provider: 'openai', model: 'text-embedding-3-small' },
            { provider: 'google', model: 'gemini-embedding-001' },
          ],
        },
      },
      logger,
      registry: new Registry(),
      providers: [
        { ...provider('openai', async () => answer('x')).enabled, embeddingModel: () => failing },
        { ...provider('google', async () => answer('x')).enabled, embeddingModel: () => google },
      ],
      local,
      requiredClasses: ['embedding'],
    });
    await expect(llm.embed({ class: 'embedding', values: ['a'] })).rejects.toBeInstanceOf(
      LlmUnavailableError,
    );
    expect(googleCalls).toBe(0);
  });

  it('reports every failed route when none answers', async () => {
    const openai = provider('openai', async () => {
      throw httpError(500);
    });
    const { llm } = llmWith([openai.enabled], { LLM_MAX_RETRIES: 0 });
    const failure = await llm.generateText({ class: 'fast', prompt: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LlmUnavailableError);
    expect((failure as LlmUnavailableError).attempts).toHaveLength(1);
  });
});

describe('routing', () => {
  it('refuses to start on staging when a required class has no enabled provider, naming what enables one', () => {
    const start = () =>
      createLlm({
        config: { ...config, ENVIRONMENT: 'staging' },
        logger,
        registry: new Registry(),
        providers: [],
        local,
        requiredClasses: ['fast'],
      });
    expect(start).toThrow(LlmConfigurationError);
    expect(start).toThrow(
      /class "fast" has no enabled provider: set OPENAI_API_KEY, or ANTHROPIC_API_KEY/,
    );
  });

  it('serves a class with no provider from the local model in development, and says so in info', () => {
    const llm = createLlm({
      config: { ...config, ENVIRONMENT: 'development' },
      logger,
      registry: new Registry(),
      providers: [],
      local,
      requiredClasses: ['fast'],
    });
    expect(llm.info()).toMatchObject({
      providers: ['local'],
      local: true,
      classes: { fast: ['local:local-fast'] },
    });
  });

  it('lists only enabled providers and their routes, never a key', () => {
    const openai = provider('openai', async () => answer('x'));
    const llm = createLlm({
      config: { ...config, OPENAI_API_KEY: 'sk-secret-value' } as typeof config,
      logger,
      registry: new Registry(),
      providers: [openai.enabled],
      local,
      requiredClasses: ['fast'],
    });
    expect(llm.info().classes.fast).toEqual(['openai:gpt-4.1-mini']);
    expect(JSON.stringify(llm.info())).not.toContain('sk-secret-value');
  });
});
