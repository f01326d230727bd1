import type { StackName } from '../../../services/catalog.js';
import { eq, rate, select, sumBy } from '../promql/index.js';
import { type Catalog, LINE_COLORS, thresholdOwners } from './catalog.js';
import { type Dashboard, dashboard } from './dashboard.js';
import { type PanelSpec, target, timeseries } from './panels.js';
import { failurePercent, RATE_WINDOW } from './promql.js';

/** A counter of domain events labelled with how each ended, and its catalog threshold. */
export interface OutcomeDashboardArgs {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly stack: StackName;
  readonly catalog: Catalog;
  readonly tags: readonly string[];
  /** For example `token_transactions_total`. */
  readonly metric: string;
  /** The label saying how an event ended, and its value for a failure. */
  readonly outcome: { readonly label: string; readonly failed: string };
  /** Labels the events are also broken down by, besides the outcome. */
  readonly breakdown: readonly string[];
  readonly threshold: 'tokenTransactionFailurePercent' | 'agentFailurePercent';
  readonly panels: { readonly rate: string; readonly failures: string };
  /** What one event is, in plural, for descriptions and units (`transactions`). */
  readonly events: string;
}

/**
 * Per service that sets `threshold` on the stack: the rate of events by outcome (and breakdown),
 * and the failure ratio, overall and by breakdown, with the threshold as a line.
 */
export function outcomeDashboard(args: OutcomeDashboardArgs): Dashboard {
  const { metric, outcome, breakdown, events } = args;
  const owners = thresholdOwners(args.catalog, args.stack, args.threshold);
  const suffix = (service: string) => (owners.length > 1 ? ` — ${service}` : '');
  const panels = owners.flatMap(({ service, value }): PanelSpec[] => {
    const own = [eq('service', service)];
    const failed = eq(outcome.label, outcome.failed);
    const legend = [...breakdown, outcome.label].map((label) => `{{${label}}}`).join(' ');
    return [
      timeseries({
        title: `${args.panels.rate}${suffix(service)}`,
        description: `${events} per second of ${service}, by ${[...breakdown, outcome.label].join(' and ')}.`,
        unit: 'ops',
        targets: [
          target(
            'A',
            sumBy([...breakdown, outcome.label], rate(select(metric, own), RATE_WINDOW)),
            legend,
          ),
        ],
      }),
      timeseries({
        title: `${args.panels.failures}${suffix(service)}`,
        description: `Share of ${events.toLowerCase()} of ${service} with ${outcome.label}="${outcome.failed}". Orange: alert above ${value} % (alerts.${args.stack}.${args.threshold}).`,
        unit: 'percent',
        targets: [
          target('A', failurePercent(metric, own, failed), 'all'),
          ...(breakdown.length > 0
            ? [
                target(
                  'B',
                  failurePercent(metric, own, failed, breakdown),
                  breakdown.map((label) => `{{${label}}}`).join(' '),
                ),
              ]
            : []),
        ],
        thresholds: [{ value, color: LINE_COLORS.alert }],
      }),
    ];
  });
  return dashboard({
    name: args.name,
    title: args.title,
    description: args.description,
    stack: args.stack,
    tags: args.tags,
    panels,
  });
}
