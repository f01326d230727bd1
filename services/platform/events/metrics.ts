import { Counter, Gauge, type Registry } from 'prom-client';

/** The event bus's metrics on a service's registry. */
export interface EventMetrics {
  readonly published: Counter<'topic'>;
  readonly consumed: Counter<'topic' | 'group' | 'outcome'>;
  readonly retried: Counter<'topic' | 'group'>;
  readonly deadLettered: Counter<'topic' | 'group' | 'reason'>;
  readonly relayLag: Gauge;
}

/** Registers the metrics once per registry; a second bus on the same registry shares them. */
export function eventMetrics(registry: Registry): EventMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    published: counter('events_published_total', 'Events the relay published, by topic', ['topic']),
    consumed: counter(
      'events_consumed_total',
      'Events a consumer group took, by outcome: handled, or duplicate (already handled, skipped)',
      ['topic', 'group', 'outcome'],
    ),
    retried: counter(
      'events_retried_total',
      'Handler attempts that failed and were tried again after a backoff',
      ['topic', 'group'],
    ),
    deadLettered: counter(
      'events_dead_lettered_total',
      "Events sent to their topic's dead-letter topic, by reason: schema or handler",
      ['topic', 'group', 'reason'],
    ),
    relayLag:
      (registry.getSingleMetric('event_relay_lag_seconds') as Gauge | undefined) ??
      new Gauge({
        name: 'event_relay_lag_seconds',
        help: 'Age of the oldest event in the outbox not yet published, at the last poll (0 when empty)',
        registers: [registry],
      }),
  };
}
