import { z } from 'zod';
import type { EventEnvelope } from '../../platform/events/envelope.js';

/** The WebSocket subprotocol of `/v1/stream`; a browser offers it with its token (see stream-auth). */
export const STREAM_PROTOCOL = 'aia.stream.v1';

const subscriptionId = z
  .string({ error: 'expected a string' })
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

/** `subscribe`: watch `topic`'s events that match `filter`, after `after` when resuming. */
export const subscribeMessage = z.strictObject({
  type: z.literal('subscribe'),
  id: subscriptionId,
  topic: z.string({ error: 'expected a topic name' }).max(200),
  filter: z
    .record(
      z.string().max(64),
      z
        .string({ error: 'expected a string' })
        .min(1, 'must not be empty')
        .max(200, 'must be at most 200 characters'),
    )
    .default({}),
  after: z.string({ error: 'expected a cursor' }).max(4096).optional(),
});

/** `unsubscribe`: stop subscription `id`. */
export const unsubscribeMessage = z.strictObject({
  type: z.literal('unsubscribe'),
  id: subscriptionId,
});

export const clientMessage = z.discriminatedUnion('type', [subscribeMessage, unsubscribeMessage], {
  error: "expected type 'subscribe' or 'unsubscribe'",
});

export type SubscribeMessage = z.infer<typeof subscribeMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;

/** Error codes a client can get, in `error` messages. */
export type StreamErrorCode =
  | 'invalid_message'
  | 'unknown_topic'
  | 'insufficient_scope'
  | 'invalid_filter'
  | 'task_not_found'
  | 'subscription_exists'
  | 'unknown_subscription'
  | 'too_many_subscriptions'
  | 'invalid_cursor'
  | 'cursor_expired'
  | 'unavailable';

/** What the server sends. */
export type ServerMessage =
  | {
      readonly type: 'subscribed';
      readonly id: string;
      readonly topic: string;
      readonly cursor: string;
    }
  | { readonly type: 'unsubscribed'; readonly id: string }
  | {
      readonly type: 'event';
      readonly subscription: string;
      readonly cursor: string;
      readonly data: Omit<EventEnvelope, 'traceparent' | 'tracestate'>;
    }
  | {
      readonly type: 'error';
      readonly code: StreamErrorCode;
      readonly detail: string;
      readonly field?: string;
      readonly subscription?: string;
    };
