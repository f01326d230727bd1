import type { ServiceDefinition } from '../../../services/catalog.js';
import { aggregate, eq, increase, scrapedBy, select } from '../promql/index.js';
import { alertRule } from './alert.js';
import { RULE_SETTINGS } from './settings.js';
import type { AlertingRule, Category, Severity } from './types.js';

const { events } = RULE_SETTINGS;

/**
 * An alert on every occurrence of an event a service counts: one value of one label of a
 * counter the service declares in the catalog, which should stay still. Generated for each
 * service that declares the counter with that value, so the alert never watches a series the
 * service does not export.
 */
interface EventAlertSpec {
  readonly name: string;
  readonly metric: string;
  readonly label: string;
  readonly value: string;
  readonly severity: Severity;
  readonly category: Category;
  /** `$labels` holds the expression's labels only (`namespace`); the service's name comes as `service`. */
  readonly summary: (service: string) => string;
  readonly description: (service: string) => string;
}

const EVENT_ALERTS: readonly EventAlertSpec[] = [
  {
    name: 'EpochPayoutRefused',
    metric: 'performance_epoch_payouts_total',
    label: 'outcome',
    value: 'refused',
    severity: 'warning',
    category: 'performance_degradation',
    summary: (service) =>
      `The ledger refused an epoch payout of ${service}: the agents were not paid.`,
    description: (service) =>
      `${service} in namespace {{ $labels.namespace }} recorded an epoch as refused by the ledger (performance_epoch_payouts_total{outcome="refused"}) in the last ${events.window}: the reward pool was short, or an account could not be paid. Nothing was paid for that epoch, and it is not retried until an admin releases it.`,
  },
];

/** One event alert of one service: what its promtool fixtures are generated from. */
export interface EventCheck {
  readonly alert: string;
  readonly service: string;
  readonly metric: string;
  readonly label: string;
  readonly value: string;
  readonly rule: AlertingRule;
}

const declares = (definition: ServiceDefinition, spec: EventAlertSpec) =>
  definition.metrics.some(
    (metric) =>
      metric.name === spec.metric && (metric.labels[spec.label] ?? []).includes(spec.value),
  );

/**
 * The event alerts of one service: `sum by (namespace) (increase(<counter>{<value>}[window])) > 0`
 * (each replica's counter starts at zero; the sum over them counts every occurrence), firing
 * at once and for `RULE_SETTINGS.events.window` after the last one.
 */
export function eventChecks(definition: ServiceDefinition, namespace: string): EventCheck[] {
  return EVENT_ALERTS.filter((spec) => declares(definition, spec)).map((spec) => {
    const counted = select(spec.metric, [
      ...scrapedBy(definition.name, namespace),
      eq(spec.label, spec.value),
    ]);
    const rule = alertRule({
      name: spec.name,
      expr: `${aggregate('sum', ['namespace'], increase(counted, events.window))} > 0`,
      for: events.for,
      severity: spec.severity,
      category: spec.category,
      service: definition.name,
      summary: spec.summary(definition.name),
      description: spec.description(definition.name),
    });
    return {
      alert: spec.name,
      service: definition.name,
      metric: spec.metric,
      label: spec.label,
      value: spec.value,
      rule,
    };
  });
}
