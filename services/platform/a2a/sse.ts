import { formatSSEErrorEvent, formatSSEEvent, SSE_HEADERS } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import { errorResponse, type JsonRpcId, safeJsonRpcError } from './json-rpc-errors.js';

/**
 * Streams the transport's JSON-RPC responses as server-sent events, one `data:` event each.
 * The first event is awaited before answering, so a request refused up front (unknown task,
 * bad params) gets a plain JSON-RPC error response instead of an event stream. A failure later
 * is sent as an `event: error`. The SDK saves each event to the task store as its generator is
 * pulled, so the generator is drained to its end whatever the client does: events go to the
 * client while it is connected, and on after it leaves (or after the request timed out), so the
 * stored task reaches the state its executor gave it.
 */
export async function sseResponse(
  events: AsyncGenerator<unknown>,
  id: JsonRpcId,
  logger: Logger | undefined,
  /** Response headers known once the first event is out (the extensions it activated). */
  headers: () => Record<string, string> = () => ({}),
): Promise<Response> {
  let first: IteratorResult<unknown>;
  try {
    first = await events.next();
  } catch (error) {
    return Response.json(errorResponse(id, safeJsonRpcError(error, logger)));
  }
  const encoder = new TextEncoder();
  let connected = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (connected) controller.enqueue(encoder.encode(text));
      };
      const drain = async () => {
        try {
          for (let next = first; !next.done; next = await events.next())
            send(formatSSEEvent(next.value));
        } catch (error) {
          send(formatSSEErrorEvent(errorResponse(id, safeJsonRpcError(error, logger))));
        }
        if (connected) controller.close();
      };
      void drain();
    },
    cancel() {
      // The client left: stop sending, keep draining (the SDK persists as it is pulled).
      connected = false;
    },
  });
  return new Response(stream, { headers: { ...headers(), ...SSE_HEADERS } });
}
