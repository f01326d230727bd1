import { num } from '../promql/index.js';
import { type EventCheck, eventChecks } from './event-alerts.js';
import { expectedAlert } from './expected-alert.js';
import { labelled, minutes, scrapeLabels } from './fixtures.js';
import { RULE_SETTINGS } from './settings.js';
import type { Catalog, InputSeries, PromtoolTestGroup } from './types.js';

/** The minute the event happens, and how long after it the alert is checked. */
const EVENT_MINUTE = 5;
const CHECK_AFTER = 10;
/** Events of the counter's other values per minute: they must never fire the alert. */
const OTHERS_PER_MINUTE = 3;

/**
 * The alert's three cases: the event once (fires), only other values moving (silent), and the
 * event once, checked after its window has passed (silent again).
 */
function eventGroups(check: EventCheck, namespace: string): PromtoolTestGroup[] {
  const window = minutes(RULE_SETTINGS.events.window);
  const base = scrapeLabels(check.service, namespace);
  const cases = [
    { name: 'once in the window', happens: true, at: EVENT_MINUTE + CHECK_AFTER, fires: true },
    { name: 'never', happens: false, at: EVENT_MINUTE + CHECK_AFTER, fires: false },
    {
      name: `once, over ${RULE_SETTINGS.events.window} ago`,
      happens: true,
      at: EVENT_MINUTE + window + CHECK_AFTER,
      fires: false,
    },
  ];
  return cases.map(({ name, happens, at, fires }): PromtoolTestGroup => {
    const event: InputSeries = {
      series: labelled(check.metric, { ...base, [check.label]: check.value }),
      values: happens ? `0+0x${EVENT_MINUTE - 1} 1+0x${at - EVENT_MINUTE + 1}` : `0+0x${at}`,
    };
    const others: InputSeries = {
      series: labelled(check.metric, { ...base, [check.label]: `not-${check.value}` }),
      values: `0+${num(OTHERS_PER_MINUTE)}x${at}`,
    };
    return {
      name: `${check.service} ${check.alert}: ${check.label}="${check.value}" ${name}`,
      interval: '1m',
      input_series: [event, others],
      alert_rule_test: [
        {
          eval_time: `${at}m`,
          alertname: check.alert,
          exp_alerts: fires
            ? [expectedAlert(check.rule, { namespace, service: check.service })]
            : [],
        },
      ],
    };
  });
}

/** promtool groups for every event alert of every service of `catalog`. */
export function eventTests(catalog: Catalog, namespace: string): PromtoolTestGroup[] {
  return Object.values(catalog).flatMap((definition) =>
    eventChecks(definition, namespace).flatMap((check) => eventGroups(check, namespace)),
  );
}
