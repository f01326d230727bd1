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
  estimateInput: () => number,
) => Promise<Answer<string>>;

/** Text for the caller while the stream is read; `onAbandon` when it stops reading early. */
function textQueue(onAbandon: () => void) {
  const chunks: string[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let waiting: (() => void)[] = [];
  const notify = () => {
    const wake = waiting;
    waiting = [];
    for (const resolve of wake) resolve();
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
      let index = 0;
      try {
        for (;;) {
          const next = chunks[index];
          if (next !== undefined) {
            index += 1;
            yield next;
          } else if (failure) throw failure.error;
          else if (ended) return;
          else await new Promise<void>((resolve) => waiting.push(resolve));
        }
      } finally {
        // The caller broke out (or threw) before the end: stop the upstream call, and its bill.
        if (!ended && !failure) onAbandon();
      }
    },
  };
}

/**
 * Runs `run` with a stream reader feeding the caller's `textStream`. The call's signal follows the
 * caller's, and aborts when the caller stops reading before the end. A call refused before it
 * starts (an unknown class, a budget) rejects `result` and `textStream` alike.
 */
export function streamFromFirstChunk(
  callerSignal: AbortSignal | undefined,
  run: (read: ReadStream, signal: AbortSignal) => Promise<TextResult>,
): StreamResult {
  const controller = new AbortController();
  const follow = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) follow();
  else callerSignal?.addEventListener('abort', follow, { once: true });
  const queue = textQueue(() =>
    controller.abort(new DOMException('the caller stopped reading the stream', 'AbortError')),
  );
  const read: ReadStream = async (parts, release, estimateInput) => {
    let text = '';
    let usage = { inputTokens: estimateInput(), outputTokens: 0 };
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
            inputTokens: part.totalUsage.inputTokens ?? estimateInput(),
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
  let result: Promise<TextResult>;
  try {
    result = run(read, controller.signal);
  } catch (error) {
    result = Promise.reject(error);
  }
  result
    .finally(() => callerSignal?.removeEventListener('abort', follow))
    .then(
      () => queue.end(),
      (error: unknown) => queue.fail(error),
    );
  return { textStream: queue, result };
}
