import type { TextStreamPart, ToolSet } from 'ai';
import type { Answer } from './attempts.js';
import { StreamInterruptedError } from './errors.js';
import type { StreamResult, TextResult } from './types.js';

/**
 * Reads one route's stream: text before the first chunk may still fail over to the next route
 * (the error is thrown as the route's failure); after it, the text is the caller's and an error
 * ends the stream with `StreamInterruptedError`. Resolves with the whole text and usage at the end;
 * the provider's slot is held until then.
 */
export type ReadStream = (
  parts: AsyncIterable<TextStreamPart<ToolSet>>,
  release: () => void,
) => Promise<Answer<string>>;

/** A text queue the caller iterates while the stream is read. */
function textQueue() {
  const chunks: string[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(text: string) {
      chunks.push(text);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error: unknown) {
      failure = { error };
      notify();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
      for (;;) {
        const next = chunks.shift();
        if (next !== undefined) yield next;
        else if (failure) throw failure.error;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** Runs `run` with a stream reader feeding the caller's `textStream`. */
export function streamFromFirstChunk(run: (read: ReadStream) => Promise<TextResult>): StreamResult {
  const queue = textQueue();
  const read: ReadStream = async (parts, release) => {
    let text = '';
    let usage = { inputTokens: 0, outputTokens: 0 };
    try {
      for await (const part of parts) {
        if (part.type === 'text-delta') {
          text += part.text;
          queue.push(part.text);
        } else if (part.type === 'error') {
          throw part.error;
        } else if (part.type === 'abort') {
          // The SDK ends an aborted stream (the attempt's deadline, the caller's abort) with this
          // part, not an error: read as an end, a hung route answered '' and a cut one its part.
          throw new DOMException(part.reason ?? 'the stream was aborted', 'AbortError');
        } else if (part.type === 'finish') {
          usage = {
            inputTokens: part.totalUsage.inputTokens ?? 0,
            outputTokens: part.totalUsage.outputTokens ?? 0,
          };
        }
      }
    } catch (error) {
      throw text === '' ? error : new StreamInterruptedError(error);
    } finally {
      release();
    }
    return { value: text, usage };
  };
  const result = run(read);
  result.then(
    () => queue.end(),
    (error: unknown) => queue.fail(error),
  );
  return { textStream: queue, result };
}
