import type { Database } from '../../platform/db.js';
import { ValidationError } from '../../platform/errors.js';
import type { EventBus, ReceivedEvent, Subscription } from '../../platform/events/index.js';
import { normaliseItem, type RawItem } from '../domain/signal.js';
import { insertSignals } from '../repository/signal-store.js';
import type { SourceSettings } from '../repository/source-store.js';
import type { DiscoveryContext } from './discovery-context.js';

/**
 * The topics an `events` source may name: the platform's own activity that says what people and
 * agents work on (finished agent runs, changes to the knowledge graph's registries). Venture
 * discovery is a consumer of each in services/events/topics.ts.
 */
export const EVENT_SOURCE_TOPICS = ['aia.agents.runs.v1', 'aia.dkg.changes.v1'] as const;
export type EventSourceTopic = (typeof EVENT_SOURCE_TOPICS)[number];

const isEventSourceTopic = (topic: string): topic is EventSourceTopic =>
  (EVENT_SOURCE_TOPICS as readonly string[]).includes(topic);

/**
 * Checks an `events` source: `url` is one of {@link EVENT_SOURCE_TOPICS} and `mapping.title`
 * names the record field (dot path) its signals' titles come from; 422 naming the field otherwise.
 */
export function checkEventSource(settings: SourceSettings): void {
  if (settings.url === null || !isEventSourceTopic(settings.url))
    throw new ValidationError([
      {
        field: 'url',
        reason: `an events source names its topic: one of ${EVENT_SOURCE_TOPICS.join(', ')}`,
      },
    ]);
  if (!settings.mapping.title)
    throw new ValidationError([
      {
        field: 'mapping.title',
        reason: 'an events source names the record field its signals’ titles come from',
      },
    ]);
}

/** The value at a dot path (`relation.to_name`) of a record, or undefined. */
function valueAt(record: unknown, path: string | undefined): unknown {
  if (path === undefined) return undefined;
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * An event as a source's item through its `mapping` (dot paths into the record): `title`, `text`
 * (default: the title), `url`, `published_at` (default: when the event occurred).
 */
export function eventItem(
  event: ReceivedEvent<unknown>,
  mapping: SourceSettings['mapping'],
): RawItem {
  const title = valueAt(event.record, mapping.title);
  return {
    title,
    text: mapping.text === undefined ? title : valueAt(event.record, mapping.text),
    url: valueAt(event.record, mapping.url),
    publishedAt: valueAt(event.record, mapping.published_at) ?? event.occurredAt,
  };
}

/**
 * Keeps an event as a signal of every enabled `events` source of its topic, in `tx` (the
 * transaction that records the event as processed: a redelivered event adds nothing). Returns how
 * many signals were new. An event mapping to no title or text is no signal.
 */
export async function keepEvent(
  tx: Database,
  event: ReceivedEvent<unknown>,
  now: Date,
): Promise<number> {
  const sources = await tx<{ id: string; mapping: SourceSettings['mapping'] }[]>`
    select id, mapping from discovery_sources
     where enabled and kind = 'events' and url = ${event.topic}`;
  let added = 0;
  for (const source of sources) {
    const signal = normaliseItem(eventItem(event, source.mapping), now);
    if (signal) added += await insertSignals(tx, source.id, [signal]);
  }
  return added;
}

/**
 * Subscribes to each of {@link EVENT_SOURCE_TOPICS} in the service's consumer group: each event
 * becomes a signal of the `events` sources naming its topic, once (the kit's processed_events),
 * so the next run reads it. Events before a source existed are not replayed into it.
 */
export async function startEventSources(
  events: EventBus,
  context: DiscoveryContext,
): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  for (const topic of EVENT_SOURCE_TOPICS)
    subscriptions.push(
      await events.subscribe({
        topic,
        sql: context.sql,
        handler: async (event, { tx }) => {
          const added = await keepEvent(tx, event, context.now?.() ?? new Date());
          context.metrics?.signals.inc(added);
        },
      }),
    );
  return subscriptions;
}
