import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { LocalReply } from './reply.js';
import { syntheticMetadata } from './synthetic.js';

const WORDS_PER_DELTA = 3;
const JSON_CHARS_PER_DELTA = 24;

/** Text cut at word starts, three words a piece: the pieces concatenate to the text exactly. */
function wordGroups(text: string): string[] {
  const words = text.split(/(?<=\s)(?=\S)/);
  const groups: string[] = [];
  for (let index = 0; index < words.length; index += WORDS_PER_DELTA) {
    groups.push(words.slice(index, index + WORDS_PER_DELTA).join(''));
  }
  return groups;
}

function slices(text: string): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += JSON_CHARS_PER_DELTA) {
    pieces.push(text.slice(index, index + JSON_CHARS_PER_DELTA));
  }
  return pieces;
}

/** Every part of the reply's stream, in the order the specification expects them. */
export function streamParts(reply: LocalReply, modelId: string): LanguageModelV4StreamPart[] {
  const { answer } = reply;
  const body: LanguageModelV4StreamPart[] = [];
  if (answer.kind === 'tool-call') {
    const id = answer.toolCallId;
    body.push(
      { type: 'tool-input-start', id, toolName: answer.toolName },
      ...slices(answer.input).map((delta) => ({ type: 'tool-input-delta' as const, id, delta })),
      { type: 'tool-input-end', id },
      { type: 'tool-call', toolCallId: id, toolName: answer.toolName, input: answer.input },
    );
  } else {
    const id = '0';
    const pieces = answer.kind === 'json' ? slices(answer.text) : wordGroups(answer.text);
    body.push(
      { type: 'text-start', id },
      ...pieces.map((delta) => ({ type: 'text-delta' as const, id, delta })),
      { type: 'text-end', id },
    );
  }
  return [
    { type: 'stream-start', warnings: reply.warnings },
    { type: 'response-metadata', id: reply.responseId, modelId },
    ...body,
    {
      type: 'finish',
      usage: reply.usage,
      finishReason: reply.finishReason,
      providerMetadata: syntheticMetadata(),
    },
  ];
}

const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('This operation was aborted', 'AbortError');

/**
 * The parts as a stream that hands out one part per read and yields to the event loop between
 * parts, as a network stream would, so a consumer can abort half-way. Aborting errors the
 * stream with the signal's reason (an AbortError unless the caller gave another) at once.
 */
export function partStream(
  parts: readonly LanguageModelV4StreamPart[],
  signal?: AbortSignal,
): ReadableStream<LanguageModelV4StreamPart> {
  let next = 0;
  let done = false;
  let onAbort: (() => void) | undefined;
  const finish = () => {
    done = true;
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      if (!signal) return;
      onAbort = () => {
        if (done) return;
        finish();
        controller.error(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (done) return;
      if (signal?.aborted) {
        finish();
        controller.error(abortError(signal));
        return;
      }
      const part = parts[next];
      next += 1;
      if (part) controller.enqueue(part);
      if (next >= parts.length) {
        finish();
        controller.close();
      }
    },
    cancel() {
      finish();
    },
  });
}
