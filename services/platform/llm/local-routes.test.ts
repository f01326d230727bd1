import { tool } from 'ai';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceDefinition } from '../../catalog.js';
import { httpEnv } from '../env.js';
import { llmEnv } from './env.js';
import { llmOf } from './service-llm.js';
import type { Llm } from './types.js';

/** The layer as `npm start` builds it for venture-discovery: no key, so the local model. */
function developmentLlm(): Llm {
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

describe('every operation end to end on the local model, offline', () => {
  const llm = developmentLlm();

  it('answers text, labelled and priced at zero, the same for the same prompt', async () => {
    const call = {
      class: 'fast',
      system: 'Be brief.',
      prompt: 'Summarise the signal about vector databases',
    };
    const first = await llm.generateText(call);
    expect(first).toMatchObject({
      provider: 'local',
      local: true,
      cost: { usd: 0, aia: '0.000000' },
    });
    expect(first.text).toMatch(/^\[local model\]/);
    expect(first.usage.inputTokens).toBeGreaterThan(0);
    expect((await llm.generateText(call)).text).toBe(first.text);
  });

  it('answers an object valid against the schema', async () => {
    const schema = z.object({
      title: z.string().min(3).max(60),
      score: z.number().min(0).max(1),
      tags: z
        .array(z.enum(['ai', 'data', 'infra']))
        .min(1)
        .max(3),
    });
    const { object } = await llm.generateObject({
      class: 'fast',
      prompt: 'Score: vector DB launch',
      schema,
    });
    expect(schema.parse(object)).toEqual(object);
  });

  it('streams the same text it generates', async () => {
    const call = { class: 'fast', prompt: 'Describe the opportunity in a few words' };
    const { textStream, result } = llm.streamText(call);
    const chunks: string[] = [];
    for await (const chunk of textStream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe((await llm.generateText(call)).text);
    expect((await result).local).toBe(true);
  });

  it('calls an offered tool and answers with its result', async () => {
    const lookup = tool({
      description: 'Looks up a company',
      inputSchema: z.object({ name: z.string() }),
      execute: async ({ name }) => ({ name, employees: 42 }),
    });
    const result = await llm.generateText({
      class: 'fast',
      prompt: 'How big is Acme?',
      tools: { lookup },
      maxSteps: 3,
    });
    expect(result.toolCalls.map((call) => call.toolName)).toEqual(['lookup']);
    expect(result.text).toContain('42');
  });

  it('embeds, nearer for related texts', async () => {
    const { embeddings } = await llm.embed({
      class: 'embedding',
      values: [
        'vector database for embeddings',
        'embeddings stored in a vector database',
        'a recipe for bread',
      ],
    });
    const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
    const [a, b, c] = embeddings as [number[], number[], number[]];
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it('refuses a text call on an embedding class and an unknown class, naming it', async () => {
    await expect(llm.generateText({ class: 'creative', prompt: 'x' })).rejects.toThrow(
      /no model class "creative"/,
    );
    await expect(llm.embed({ class: 'fast', values: ['x'] })).rejects.toThrow(/embedding class/);
  });
});
