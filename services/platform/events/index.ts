export type { Backoff } from './backoff.js';
export type { EventHandler, HandlerContext, SubscribeOptions, Subscription } from './consumer.js';
export {
  type EventBusConfig,
  eventBusConfigured,
  eventBusEnv,
  kafkaBrokersOf,
  readKafkaCa,
} from './env.js';
export {
  decodeEnvelope,
  type EventEnvelope,
  encodeEnvelope,
  eventEnvelope,
  newEnvelope,
  type ReceivedEvent,
  type TraceContext,
} from './envelope.js';
export {
  connectEventBus,
  type EventBus,
  type EventBusOptions,
  type EventPublisher,
} from './event-bus.js';
export { migrateEventTables } from './event-tables.js';
export {
  activeTraceContext,
  EventRecordError,
  type ProducerOf,
  type WriteEventOptions,
  writeEvent,
} from './outbox.js';
export type { Relay, RelayOptions } from './relay.js';
export type {
  ConsumeOptions,
  Delivery,
  EventTransport,
  GroupMember,
  GroupMemberHealth,
  WireRecord,
} from './transport.js';
