import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceEnv } from '../../catalog/define.js';
import { secretKeysOf } from '../config.js';
import { classesSchema, parseRoute } from './classes.js';
import { llmEnv, withLlmRules } from './env.js';
import { classify, retryAfterMs } from './failure.js';
import { costOf, priceOf, toAia } from './prices.js';

describe('LLM_CLASSES', () => {
  it('reads provider:model routes, model ids with colons included', () => {
    expect(parseRoute('bedrock:amazon.titan-embed-text-v2:0')).toEqual({
      provider: 'bedrock',
      model: 'amazon.titan-embed-text-v2:0',
    });
    expect(
      classesSchema.parse('{"fast":["groq:llama-3.1-8b-instant","openai-compatible:qwen"]}'),
    ).toEqual({
      fast: [
        { provider: 'groq', model: 'llama-3.1-8b-instant' },
        { provider: 'openai-compatible', model: 'qwen' },
      ],
    });
  });

  it('names the bad route, class or JSON', () => {
    const reasons = (text: string) =>
      classesSchema.safeParse(text).error?.issues.map((i) => i.message);
    expect(reasons('{"fast":["mistral:small"]}')?.[0]).toMatch(
      /"mistral:small" is not provider:model/,
    );
    expect(reasons('{"Fast!":["openai:gpt"]}')?.[0]).toMatch(/class name/);
    expect(reasons('{"fast":[]}')?.[0]).toMatch(/at least one/);
    expect(reasons('fast=openai')?.[0]).toMatch(/JSON object/);
  });
});

describe('llmEnv', () => {
  const schema = withLlmRules(serviceEnv({ ...llmEnv }));
  const problems = (env: Record<string, string>) =>
    (schema.safeParse({ PORT: '8000', ...env }).error?.issues ?? []).map(
      (i) => `${i.path.join('.')}: ${i.message}`,
    );

  it('needs both halves of Azure, and says which is missing', () => {
    expect(problems({ AZURE_OPENAI_KEY: 'k' })).toContain(
      'AZURE_OPENAI_ENDPOINT: required when AZURE_OPENAI_KEY is set',
    );
    expect(problems({ AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' })).toContain(
      'AZURE_OPENAI_KEY: required when AZURE_OPENAI_ENDPOINT is set',
    );
  });

  it('names a bad region, URL, rate or empty key', () => {
    const found = problems({
      AWS_REGION: 'virginia',
      OPENAI_COMPATIBLE_BASE_URL: 'localhost:8000',
      LLM_AIA_PER_USD: '-1',
      OPENAI_API_KEY: '',
    });
    expect(found.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining([
        'AWS_REGION',
        'OPENAI_COMPATIBLE_BASE_URL',
        'LLM_AIA_PER_USD',
        'OPENAI_API_KEY',
      ]),
    );
  });

  it('keeps every key a secret, and nothing else', () => {
    expect(secretKeysOf(z.object(llmEnv)).sort()).toEqual(
      Object.keys(llmEnv)
        .filter((k) => k.endsWith('_KEY'))
        .sort(),
    );
  });
});

describe('prices', () => {
  it('prices an unknown model of a provider at its dearest, never free', () => {
    expect(priceOf({ provider: 'anthropic', model: 'claude-new' })).toEqual({
      input: 3,
      output: 15,
      maxOutput: 8_192,
    });
    expect(priceOf({ provider: 'local', model: 'x' })).toEqual({ input: 0, output: 0 });
  });

  it('rounds AIA up to six places', () => {
    expect(toAia(0.0000001, 100)).toBe('0.000010');
    expect(
      costOf({ provider: 'openai', model: 'gpt-4.1' }, { inputTokens: 1e6, outputTokens: 0 }, 100)
        .aia,
    ).toBe('200.000000');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
    expect(retryAfterMs({ 'retry-after-ms': '150' })).toBe(150);
    const now = Date.parse('2026-12-03T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Thu, 03 Dec 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('classify', () => {
  const callError = (statusCode: number | undefined) =>
    new APICallError({ message: 'x', url: 'http://p.test', requestBodyValues: {}, statusCode });

  it('blames the provider for an answer it could not read (the SDK reports it with status 200)', () => {
    expect(classify(callError(200), false)).toMatchObject({ retryable: true, providerFault: true });
  });

  it('retries the provider’s own timeout (408) and overload (529) as its faults', () => {
    expect(classify(callError(408), false)).toMatchObject({ retryable: true, providerFault: true });
    expect(classify(callError(529), false)).toMatchObject({ retryable: true, providerFault: true });
  });

  it('blames the request, not the provider, for a 4xx: no retry, no breaker count', () => {
    expect(classify(callError(400), false)).toMatchObject({
      retryable: false,
      providerFault: false,
    });
  });

  it('reads a deadline as a timeout whatever the error says', () => {
    expect(classify(new Error('aborted'), true)).toMatchObject({ outcome: 'timeout' });
  });
});
