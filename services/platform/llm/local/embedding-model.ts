import type { EmbeddingModelV4 } from '@ai-sdk/provider';
import { LOCAL_PROVIDER, syntheticMetadata } from './synthetic.js';
import { countTokens } from './tokens.js';

/** Vector size when the caller asks for none. */
export const LOCAL_EMBEDDING_DIMENSIONS = 256;
/** Values per call: high, since a call costs only hashing. */
const MAX_VALUES_PER_CALL = 10_000;

/** Words too common to say what a text is about; left out so they do not make texts similar. */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have how i in is it its of on or that the this to was were what when where which who why will with you your'.split(
    ' ',
  ),
);

/** FNV-1a, 32 bits: fast, stable across runs and platforms, enough to spread words. */
function fnv1a(text: string, basis = 0x811c9dc5): number {
  let hash = basis;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A text's hashed bag of words: lowercased words (stop words left out) each add ±1 at a hashed
 * index, the sign from a second hash so collisions cancel out on average instead of adding
 * up; then L2-normalised. Texts sharing words get a higher cosine similarity than unrelated
 * ones. A text without words is the zero vector.
 */
export function embedText(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOP_WORDS.has(word)) continue;
    const index = fnv1a(word) % dimensions;
    const sign = fnv1a(word, 0x9747b28c) & 1 ? 1 : -1;
    vector[index] = (vector[index] as number) + sign;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/** The deterministic local embedding model (see {@link embedText}); honours `dimensions`. */
export function localEmbeddingModel(modelId: string): EmbeddingModelV4 {
  return {
    specificationVersion: 'v4',
    provider: LOCAL_PROVIDER,
    modelId,
    maxEmbeddingsPerCall: MAX_VALUES_PER_CALL,
    supportsParallelCalls: true,

    async doEmbed({ values, dimensions = LOCAL_EMBEDDING_DIMENSIONS, abortSignal }) {
      abortSignal?.throwIfAborted();
      if (!Number.isInteger(dimensions) || dimensions < 1) {
        throw new Error(`dimensions must be a positive integer, got ${dimensions}`);
      }
      return {
        embeddings: values.map((value) => embedText(value, dimensions)),
        usage: { tokens: values.reduce((sum, value) => sum + countTokens(value), 0) },
        providerMetadata: syntheticMetadata(),
        warnings: [],
      };
    },
  };
}
