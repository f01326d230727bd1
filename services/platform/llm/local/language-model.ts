import type { LanguageModelV4, LanguageModelV4Content } from '@ai-sdk/provider';
import { replyTo } from './reply.js';
import { partStream, streamParts } from './stream.js';
import { LOCAL_PROVIDER, syntheticMetadata } from './synthetic.js';

/**
 * The deterministic local language model: no network, no key, the same answer for the same
 * prompt, every answer marked `providerMetadata.local.synthetic`. It speaks the AI SDK's v4
 * specification, so generateText, streamText, structured output and tool loops run on it
 * unchanged.
 */
export function localLanguageModel(modelId: string): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: LOCAL_PROVIDER,
    modelId,
    // Every URL counts as supported so the SDK never downloads a file part for this model.
    supportedUrls: { '*/*': [/^/] },

    async doGenerate(options) {
      options.abortSignal?.throwIfAborted();
      const reply = replyTo(options);
      const { answer } = reply;
      const content: LanguageModelV4Content[] =
        answer.kind === 'tool-call'
          ? [
              {
                type: 'tool-call',
                toolCallId: answer.toolCallId,
                toolName: answer.toolName,
                input: answer.input,
              },
            ]
          : [{ type: 'text', text: answer.text }];
      return {
        content,
        finishReason: reply.finishReason,
        usage: reply.usage,
        providerMetadata: syntheticMetadata(),
        response: { id: reply.responseId, modelId },
        warnings: reply.warnings,
      };
    },

    async doStream(options) {
      options.abortSignal?.throwIfAborted();
      const reply = replyTo(options);
      return { stream: partStream(streamParts(reply, modelId), options.abortSignal) };
    },
  };
}
