import type { ServiceDefinition } from '../../../services/catalog.js';
import { num } from '../promql/index.js';
import { expectedAlert, SIDES } from './expected-alert.js';
import { labelled, minutes, scrapeLabels } from './fixtures.js';
import { BURN_RATE_WINDOWS, type BurnRateWindow, DEPLOYMENT_VARIANTS } from './settings.js';
import { RATIO_SOURCES } from './signals.js';
import { BURN_ALERT, burnRateAlerts, burnThreshold, errorBudget } from './slo-alerts.js';
import type { AlertingRule, PromtoolTestGroup } from './types.js';

/** Traffic at a constant error ratio for a number of minutes. */
interface Phase {
  readonly minutes: number;
  readonly ratio: number;
}

/** Requests per minute of the burn-rate fixtures. */
const REQUESTS = 100_000;

/** Cumulative failures and requests at each minute from 0 to the end of the phases. */
function cumulative(phases: readonly Phase[]) {
  const failures = [0];
  const requests = [0];
  for (const phase of phases) {
    for (let i = 0; i < phase.minutes; i += 1) {
      failures.push((failures.at(-1) as number) + Math.round(phase.ratio * REQUESTS));
      requests.push((requests.at(-1) as number) + REQUESTS);
    }
  }
  return { failures, requests };
}

/** promtool's `a+bxn` notation, one segment per phase: exact per-minute increments. */
function phaseValues(phases: readonly Phase[], perMinute: (ratio: number) => number) {
  let total = 0;
  return phases
    .map((phase, index) => {
      const step = perMinute(phase.ratio);
      const segment =
        index === 0
          ? `0+${num(step)}x${phase.minutes}`
          : `${num(total + step)}+${num(step)}x${phase.minutes - 1}`;
      total += step * phase.minutes;
      return segment;
    })
    .join(' ');
}

const failuresPerMinute = (ratio: number) => Math.round(ratio * REQUESTS);
const successesPerMinute = (ratio: number) => REQUESTS - failuresPerMinute(ratio);

/**
 * The burn-rate windows firing at minute `at`, replaying Prometheus on the fixture minute by
 * minute: a rate over a window is the counters' change between its first and last samples, the
 * alert is active from the first evaluation both windows exceed `factor x budget`, and fires
 * once active for its `for`. Throws when an alert would change state within a minute of `at`:
 * the fixture must not depend on how Prometheus rounds a window's edge.
 */
function firingWindows(
  phases: readonly Phase[],
  at: number,
  windows: readonly BurnRateWindow[],
  budget: number,
): BurnRateWindow[] {
  const { failures, requests } = cumulative(phases);
  if (at >= failures.length) throw new Error(`the fixture ends before minute ${at}`);
  const ratio = (t: number, window: string) => {
    const from = Math.max(0, t - minutes(window));
    const served = (requests[t] as number) - (requests[from] as number);
    return served > 0
      ? ((failures[t] as number) - (failures[from] as number)) / served
      : Number.NaN;
  };
  return windows.filter((window) => {
    const threshold = window.factor * budget;
    const above = (t: number) =>
      ratio(t, window.longWindow) > threshold && ratio(t, window.shortWindow) > threshold;
    if (!above(at)) {
      if (above(at - 1))
        throw new Error(`burn window ${window.longWindow} resolves at minute ${at}`);
      return false;
    }
    let activeAt = at;
    while (activeAt > 1 && above(activeAt - 1)) activeAt -= 1;
    const held = at - activeAt - minutes(window.for);
    if (Math.abs(held) <= 1) {
      throw new Error(
        `burn window ${window.longWindow} starts firing at minute ${at}: pick another time`,
      );
    }
    return held > 0;
  });
}

function burnGroup(
  definition: ServiceDefinition,
  namespace: string,
  name: string,
  phases: Phase[],
  at: number,
): PromtoolTestGroup {
  const budget = errorBudget(definition);
  const http = RATIO_SOURCES.httpErrors;
  const share = (count: (ratio: number) => number) => (ratio: number) =>
    count(ratio) / DEPLOYMENT_VARIANTS.length;
  const rules = burnRateAlerts(definition);
  const firing = firingWindows(phases, at, BURN_RATE_WINDOWS, budget);
  return {
    name: `${BURN_ALERT} on ${definition.name}: ${name}`,
    interval: '1m',
    // Half the traffic on each colour's Service: both count for the service.
    input_series: DEPLOYMENT_VARIANTS.flatMap((colour) =>
      [
        { status: http.failure, values: phaseValues(phases, share(failuresPerMinute)) },
        { status: http.success, values: phaseValues(phases, share(successesPerMinute)) },
      ].map(({ status, values }) => ({
        series: labelled(http.metric, {
          ...scrapeLabels(definition.name, namespace, colour),
          status,
        }),
        values,
      })),
    ),
    alert_rule_test: [
      {
        eval_time: `${at}m`,
        alertname: BURN_ALERT,
        exp_alerts: firing.map((window) =>
          expectedAlert(rules[BURN_RATE_WINDOWS.indexOf(window)] as AlertingRule, {
            namespace,
            service: definition.name,
          }),
        ),
      },
    ],
  };
}

/** Each burn-rate window just above and just below its rate; the page ends when the short window recovers. */
export function burnTests(definition: ServiceDefinition, namespace: string): PromtoolTestGroup[] {
  const budget = errorBudget(definition);
  const constant = BURN_RATE_WINDOWS.flatMap((window) =>
    SIDES.map(({ side, factor }) => {
      const at = minutes(window.for) + 6;
      const ratio = burnThreshold(window, budget) * factor;
      return burnGroup(
        definition,
        namespace,
        `${num(ratio)} errors is just ${side} ${window.factor}x over ${window.longWindow} and ${window.shortWindow}`,
        [{ minutes: at, ratio }],
        at,
      );
    }),
  );
  const fast = BURN_RATE_WINDOWS[0];
  if (!fast) return constant;
  const at = minutes(fast.longWindow) - 2;
  const burst = at - 2 * minutes(fast.shortWindow);
  const phases = [
    { minutes: burst, ratio: burnThreshold(fast, budget) * 1.5 },
    { minutes: at - burst, ratio: 0 },
  ];
  if (firingWindows(phases, at, [fast], budget).length > 0) {
    throw new Error(
      `the ${fast.longWindow} burn-rate window still fires after its short window recovered`,
    );
  }
  return [
    ...constant,
    burnGroup(
      definition,
      namespace,
      `no page once the last ${fast.shortWindow} are clean`,
      phases,
      at,
    ),
  ];
}
