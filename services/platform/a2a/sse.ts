import { formatSSEErrorEvent, formatSSEEvent, SSE_HEADERS } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import { errorResponse, type JsonRpcId, safeJsonRpcError } from './json-rpc-errors.js';

/**
 * Streams the transport's JSON-RPC responses as server-sent events, one `data:` event each.
 * The first event is awaited before answering, so a request refused up front (unknown task,
 * bad params) gets a plain JSON-RPC error response instead of an event stream. A failure later
 * is sent as an `event: error`. Events are pulled as the client reads (a slow reader holds the
 * SDK's queue, not this process's memory). A client that disconnects closes the SDK's stream;
 * an async generator ends only between events, so that happens when the task's next event comes.
 */
export async function sseResponse(
  events: AsyncGenerator<unknown>,
  id: JsonRpcId,
  logger: Logger | undefined,
  /** Response headers known once the first event is out (the extensions it activated). */
  headers: () => Record<string, string> = () => ({}),
): Promise<Response> {
  let pending: IteratorResult<unknown> | undefined;
  try {
    pending = await events.next();
  } catch (error) {
    return Response.json(errorResponse(id, safeJsonRpcError(error, logger)));
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await events.next());
        pending = undefined;
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(formatSSEEvent(next.value)));
      } catch (error) {
        const event = errorResponse(id, safeJsonRpcError(error, logger));
        controller.enqueue(encoder.encode(formatSSEErrorEvent(event)));
        controller.close();
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  return new Response(stream, { headers: { ...headers(), ...SSE_HEADERS } });
}
