import type { EmbeddingModelV4, LanguageModelV4 } from '@ai-sdk/provider';
import { localEmbeddingModel } from './embedding-model.js';
import { localLanguageModel } from './language-model.js';

/** The local provider's models, shaped like the AI SDK providers' `languageModel`/`embeddingModel`. */
export interface LocalProvider {
  languageModel(modelId: string): LanguageModelV4;
  embeddingModel(modelId: string): EmbeddingModelV4;
}

/**
 * The provider `local`: deterministic models that need no network and no key, so every service
 * runs end to end offline (`npm start` and the tests when no provider key is set). Any model id
 * is accepted and reported back; it does not change the answers. Everything it returns is
 * synthetic and says so: text starts with "[local model]" and every result carries
 * `providerMetadata.local.synthetic === true`.
 *
 * @example
 * ```ts
 * const local = createLocalProvider();
 * const { text } = await generateText({ model: local.languageModel('fast'), prompt: 'Hello' });
 * // text starts with "[local model]"; the same prompt always gives the same text
 * const { output } = await generateText({
 *   model: local.languageModel('fast'),
 *   prompt: 'Plan a release',
 *   output: Output.object({ schema: z.object({ steps: z.array(z.string()).min(1) }) }),
 * });
 * // output.steps holds strings made of the prompt's words, valid against the schema
 * const { embedding } = await embed({ model: local.embeddingModel('embedding'), value: 'ledger' });
 * ```
 */
export function createLocalProvider(): LocalProvider {
  return {
    languageModel: (modelId) => localLanguageModel(modelId),
    embeddingModel: (modelId) => localEmbeddingModel(modelId),
  };
}
