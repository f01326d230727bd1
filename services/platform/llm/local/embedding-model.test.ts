import { cosineSimilarity, embed, embedMany } from 'ai';
import { describe, expect, it } from 'vitest';
import { createLocalProvider, LOCAL_EMBEDDING_DIMENSIONS } from './index.js';

const model = createLocalProvider().embeddingModel('embedding');

describe('the local embedding model', () => {
  it('gives unit vectors of 256 dimensions, the same for the same text', async () => {
    const { embeddings } = await embedMany({
      model,
      values: ['Ledger transfers', 'Ledger transfers'],
    });
    const [first, second] = embeddings as [number[], number[]];
    expect(LOCAL_EMBEDDING_DIMENSIONS).toBe(256);
    expect(first).toHaveLength(256);
    expect(Math.hypot(...first)).toBeCloseTo(1, 10);
    expect(second).toEqual(first);
  });

  it('ranks a paraphrase above an unrelated text', async () => {
    const { embeddings } = await embedMany({
      model,
      values: [
        'The ledger posts a transfer between two accounts',
        'A transfer between accounts is posted in the ledger',
        'Accounts in the ledger',
        'The cat sleeps on a warm windowsill',
      ],
    });
    const [query, paraphrase, partial, unrelated] = embeddings as [
      number[],
      number[],
      number[],
      number[],
    ];
    const close = cosineSimilarity(query, paraphrase);
    const middle = cosineSimilarity(query, partial);
    const far = cosineSimilarity(query, unrelated);
    expect(close).toBeGreaterThan(middle);
    expect(middle).toBeGreaterThan(far);
  });

  it('ignores case and punctuation', async () => {
    const { embeddings } = await embedMany({
      model,
      values: ['Rotate the KEYS!', 'rotate the keys'],
    });
    expect(embeddings[0]).toEqual(embeddings[1]);
  });

  it('honours requested dimensions and reports usage and the synthetic label', async () => {
    const result = await embed({ model, value: 'twelve characters' });
    expect(result.usage.tokens).toBe(Math.ceil('twelve characters'.length / 4));
    expect(result.providerMetadata).toEqual({ local: { synthetic: true } });
    const sized = await model.doEmbed({ values: ['a b c'], dimensions: 32 });
    expect(sized.embeddings[0]).toHaveLength(32);
    await expect(model.doEmbed({ values: ['a'], dimensions: 0 })).rejects.toThrow(
      'dimensions must be a positive integer, got 0',
    );
  });
});
