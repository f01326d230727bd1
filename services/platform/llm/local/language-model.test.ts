import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { generateText, type ModelMessage, Output, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalProvider } from './index.js';

const model = createLocalProvider().languageModel('fast');
const prompt = 'Deploy the ledger service to staging tonight, after the migration has run.';

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

describe('the local language model', () => {
  it('answers the same prompt with the same text, and another prompt with another', async () => {
    const first = await generateText({ model, prompt });
    const again = await generateText({
      model: createLocalProvider().languageModel('fast'),
      prompt,
    });
    const other = await generateText({ model, prompt: 'Summarise the quarterly venture report.' });
    expect(again.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
  });

  it('labels its text as synthetic, in the text and in the provider metadata', async () => {
    const result = await generateText({ model, prompt });
    expect(result.text.startsWith('[local model]')).toBe(true);
    expect(result.text).toContain('synthetic');
    expect(result.providerMetadata).toEqual({ local: { synthetic: true } });
    expect(result.response.modelId).toBe('fast');
    expect(model.provider).toBe('local');
    expect(model.specificationVersion).toBe('v4');
  });

  it('builds its answer from the last user message, not from earlier ones', async () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'alpha bravo' },
      { role: 'assistant', content: 'noted' },
      { role: 'user', content: 'rotate the signing keys' },
    ];
    const { text } = await generateText({ model, instructions: 'You are terse.', messages });
    expect(text).toContain('rotate the signing keys');
    expect(text).not.toContain('alpha');
    expect(text).not.toContain('terse');
  });

  it('reports usage at four characters a token, more input for a longer prompt', async () => {
    const short = await generateText({ model, prompt: 'hi' });
    const long = await generateText({ model, prompt: `${prompt} ${prompt} ${prompt}` });
    expect(short.usage.outputTokens).toBe(Math.ceil(short.text.length / 4));
    expect(long.usage.inputTokens).toBeGreaterThan(short.usage.inputTokens ?? 0);
    expect(short.usage.inputTokens).toBeGreaterThan(0);
    expect(long.usage.totalTokens).toBe(
      (long.usage.inputTokens ?? 0) + (long.usage.outputTokens ?? 0),
    );
  });

  it('cuts text at maxOutputTokens on a word boundary and says the length ran out', async () => {
    const full = await generateText({ model, prompt });
    const cut = await generateText({ model, prompt, maxOutputTokens: 6 });
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.outputTokens).toBeLessThanOrEqual(6);
    expect(cut.text.length).toBeLessThanOrEqual(24);
    expect(full.text.startsWith(`${cut.text} `)).toBe(true);
    expect(full.finishReason).toBe('stop');
  });

  it('never cuts JSON: structured output stays whole and valid under a tiny maxOutputTokens', async () => {
    const schema = z.object({ title: z.string(), tags: z.array(z.string()).min(4) });
    const result = await generateText({
      model,
      prompt,
      maxOutputTokens: 1,
      output: Output.object({ schema }),
    });
    expect(schema.parse(result.output).tags.length).toBeGreaterThanOrEqual(4);
    expect(result.finishReason).toBe('stop');
    expect(result.providerMetadata).toEqual({ local: { synthetic: true } });
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      model.doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
        abortSignal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('streaming from the local model', () => {
  it('streams the generated text in several word-group chunks', async () => {
    const { text } = await generateText({ model, prompt });
    const result = streamText({ model, prompt });
    const chunks = await collect(result.textStream);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(text);
    expect(await result.finishReason).toBe('stop');
    expect(await result.providerMetadata).toEqual({ local: { synthetic: true } });
    expect((await result.usage).outputTokens).toBe(Math.ceil(text.length / 4));
  });

  it('sends the parts the specification orders: start, metadata, text, finish', async () => {
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    });
    const types = (await collect(stream as AsyncIterable<LanguageModelV4StreamPart>)).map(
      (part) => part.type,
    );
    expect(types.slice(0, 3)).toEqual(['stream-start', 'response-metadata', 'text-start']);
    expect(types.slice(-2)).toEqual(['text-end', 'finish']);
    expect(new Set(types.slice(3, -2))).toEqual(new Set(['text-delta']));
  });

  it('stops a stream when its signal aborts half-way, with an AbortError', async () => {
    const full = await generateText({ model, prompt });
    const controller = new AbortController();
    const result = streamText({ model, prompt, abortSignal: controller.signal });
    const chunks: string[] = [];
    for await (const chunk of result.textStream) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    expect(chunks.length).toBe(2);
    expect(chunks.join('').length).toBeLessThan(full.text.length);
    await expect(result.text).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('errors the raw stream with AbortError at the next read after an abort', async () => {
    const controller = new AbortController();
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    expect((await reader.read()).value?.type).toBe('stream-start');
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('streams structured output that parses to the object generateText returns', async () => {
    const schema = z.object({ name: z.string(), score: z.int().min(1).max(5) });
    const generated = await generateText({ model, prompt, output: Output.object({ schema }) });
    const streamed = streamText({ model, prompt, output: Output.object({ schema }) });
    expect((await collect(streamed.textStream)).length).toBeGreaterThan(1);
    expect(await streamed.output).toEqual(generated.output);
  });
});

describe('tools on the local model', () => {
  const calls: unknown[] = [];
  const tools = {
    weather: tool({
      description: 'Current weather in a city',
      inputSchema: z.object({ city: z.string().min(1), unit: z.enum(['c', 'f']) }),
      execute: async ({ city, unit }) => {
        calls.push({ city, unit });
        return { city, temperature: 21, unit };
      },
    }),
    clock: tool({
      description: 'Current time',
      inputSchema: z.object({ zone: z.string() }),
      execute: async () => ({ time: '12:00' }),
    }),
  };

  it('calls the first tool with valid input, then answers from its result, within stepCountIs', async () => {
    calls.length = 0;
    const result = await generateText({
      model,
      prompt: 'What is the weather in Paris?',
      tools,
      stopWhen: stepCountIs(3),
    });
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(calls).toHaveLength(1);
    expect(result.steps[0]?.toolCalls[0]?.toolName).toBe('weather');
    expect(result.text.startsWith('[local model]')).toBe(true);
    expect(result.text).toContain('weather returned');
    expect(result.text).toContain('"temperature":21');
  });

  it('calls the tool toolChoice names, and none under toolChoice none', async () => {
    const named = await generateText({
      model,
      prompt: 'What time is it?',
      tools,
      toolChoice: { type: 'tool', toolName: 'clock' },
    });
    expect(named.toolCalls.map((call) => call.toolName)).toEqual(['clock']);
    const none = await generateText({
      model,
      prompt: 'What time is it?',
      tools,
      toolChoice: 'none',
    });
    expect(none.toolCalls).toEqual([]);
    expect(none.finishReason).toBe('stop');
  });

  it('streams the same tool call and finishes the loop', async () => {
    const generated = await generateText({ model, prompt: 'Weather in Oslo?', tools });
    const streamed = streamText({
      model,
      prompt: 'Weather in Oslo?',
      tools,
      stopWhen: stepCountIs(3),
    });
    const steps = await streamed.steps;
    expect(steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(steps[0]?.toolCalls[0]?.input).toEqual(generated.toolCalls[0]?.input);
    expect(await streamed.text).toContain('weather returned');
  });
});
