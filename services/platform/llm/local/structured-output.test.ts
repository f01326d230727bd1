import { generateText, Output, streamText } from 'ai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLocalProvider } from './index.js';

const model = createLocalProvider().languageModel('strong');

interface Category {
  name: string;
  children: Category[];
}
const category: z.ZodType<Category> = z.lazy(() =>
  z.object({ name: z.string().min(1), children: z.array(category) }),
);

/** Schemas of the shapes services ask for; each must come back valid for any prompt. */
const schemas: Record<string, z.ZodType> = {
  'nested objects': z.object({
    user: z.object({
      name: z.string(),
      address: z.object({ city: z.string(), zip: z.string().length(5) }),
    }),
  }),
  arrays: z.object({
    tags: z.array(z.string().min(2).max(12)).min(3).max(5),
    matrix: z.array(z.array(z.int())).max(2),
  }),
  enums: z.object({
    status: z.enum(['open', 'closed', 'pending']),
    priority: z.literal(['low', 'high']),
    kind: z.literal('ticket'),
  }),
  'optional and default': z.object({
    title: z.string(),
    note: z.string().optional(),
    count: z.number().default(1),
    flag: z.boolean().optional(),
  }),
  numbers: z.object({
    age: z.int().min(18).max(120),
    ratio: z.number().gt(0).lt(1),
    score: z.number().min(-5.5).max(5.5),
    step: z.int().multipleOf(5).min(12).max(40),
    price: z.number().positive().multipleOf(0.01),
    big: z.int().gte(1_000_000),
    negative: z.number().lt(-10),
  }),
  'string lengths': z.object({
    code: z.string().length(6),
    short: z.string().max(3),
    long: z.string().min(80),
    bounded: z.string().min(10).max(12),
  }),
  formats: z.object({
    id: z.uuid(),
    v4: z.uuidv4(),
    email: z.email(),
    at: z.iso.datetime(),
    day: z.iso.date(),
    time: z.iso.time(),
    link: z.url(),
    ip: z.ipv4(),
  }),
  unions: z.object({
    value: z.union([z.string(), z.number()]),
    shape: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), radius: z.number().positive() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]),
  }),
  nullable: z.object({
    maybe: z.string().nullable(),
    nested: z.object({ a: z.number() }).nullable(),
    nullish: z.int().nullish(),
  }),
  'tuples and records': z.object({
    pair: z.tuple([z.string(), z.int()]),
    counts: z.record(z.string(), z.int().nonnegative()),
    fixed: z.record(z.enum(['a', 'b']), z.boolean()),
  }),
  recursion: z.object({ root: category }),
  patterns: z.object({
    sku: z.string().regex(/^[A-Z]{3}-\d{4}$/),
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    invoice: z.string().startsWith('inv_'),
    wrapped: z.string().startsWith('<').endsWith('>').includes('mid'),
    lower: z.string().lowercase(),
  }),
  intersection: z.intersection(
    z.object({ id: z.string() }),
    z.object({ amount: z.number().nonnegative() }),
  ),
};

const prompts = fc.oneof(
  fc.lorem({ maxCount: 20 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constant('!!! ??? ...'),
);

describe('structured output from the local model', () => {
  for (const [shape, schema] of Object.entries(schemas)) {
    it(`returns JSON valid against a schema of ${shape}, for any prompt`, async () => {
      await fc.assert(
        fc.asyncProperty(prompts, async (prompt) => {
          const result = await generateText({ model, prompt, output: Output.object({ schema }) });
          expect(schema.safeParse(result.output).success).toBe(true);
          expect(schema.safeParse(JSON.parse(result.text)).success).toBe(true);
          expect(result.providerMetadata).toEqual({ local: { synthetic: true } });
        }),
        { numRuns: 25 },
      );
    });
  }

  it('returns the same object for the same prompt, and builds its strings from the prompt', async () => {
    const schema = z.object({ headline: z.string(), points: z.array(z.string()).min(2) });
    const prompt = 'Quarterly ledger reconciliation findings';
    const first = await generateText({ model, prompt, output: Output.object({ schema }) });
    const again = await generateText({ model, prompt, output: Output.object({ schema }) });
    expect(again.text).toBe(first.text);
    const words = new Set(prompt.split(' '));
    for (const text of [first.output.headline, ...first.output.points]) {
      for (const word of text.split(' ')) expect(words.has(word)).toBe(true);
    }
  });

  it('fills an element array (Output.array) within its item bounds', async () => {
    const element = z.object({ step: z.string(), minutes: z.int().positive() });
    const result = await generateText({
      model,
      prompt: 'Plan the release',
      output: Output.array({ element, minItems: 3, maxItems: 4 }),
    });
    expect(result.output.length).toBeGreaterThanOrEqual(3);
    expect(result.output.length).toBeLessThanOrEqual(4);
  });

  it('streams partial objects that end in the complete object', async () => {
    const schema = schemas['nested objects'] as z.ZodType;
    const result = streamText({
      model,
      prompt: 'Where do you ship?',
      output: Output.object({ schema }),
    });
    const partials = [];
    for await (const partial of result.partialOutputStream) partials.push(partial);
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toEqual(await result.output);
    expect(schema.safeParse(await result.output).success).toBe(true);
  });
});
