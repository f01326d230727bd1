import { type Reply, type Route, truncatedJson } from './protocol.js';

/** One server-sent event: a named event (as OpenAI's Responses and Anthropic send) or bare data. */
export interface SseEvent {
  readonly event?: string;
  /** Serialised as JSON unless already a string (`[DONE]`). */
  readonly data: unknown;
}

const frame = ({ event, data }: SseEvent): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** A 200 `text/event-stream` reply, one write per event. */
export const sseReply = (events: readonly SseEvent[]): Reply => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  body: events.map(frame),
});

/** An event stream whose first event's data is cut off mid-JSON. */
export const malformedSse = (): Reply => ({
  ...sseReply([]),
  body: ['data: {"type":"delta","text":\n\n'],
});

/** The malformed answer for a route: a cut-off event stream, or cut-off JSON. */
export const malformedFor = (route: Route): Reply =>
  route.operation === 'stream' ? malformedSse() : truncatedJson();
