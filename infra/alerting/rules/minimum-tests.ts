import { num } from '../promql/index.js';
import { expectedAlert } from './expected-alert.js';
import { labelled, minutes, scrapeLabels } from './fixtures.js';
import { isDomainSignal, RATIO_SOURCES, signalWindow } from './signals.js';
import type { ThresholdCheck } from './threshold-alerts.js';
import type { PromtoolTestGroup } from './types.js';

/** The minute the events arrive, and how long the condition holds beyond the alert's `for`. */
const ARRIVAL_MINUTE = 5;
const SLACK_MINUTES = 10;

/**
 * The two sides of a minimum: every event of the window fails (a share of 100 %, far past any
 * threshold), and there are exactly `minimum` of them (fires) or one fewer (silent).
 */
function minimumGroups(check: ThresholdCheck & { minimum: number }, namespace: string) {
  if (!isDomainSignal(check.signal)) {
    throw new Error(`${check.alert}: a minimum needs a counted domain signal, not ${check.signal}`);
  }
  const source = RATIO_SOURCES[check.signal];
  const hold = minutes(check.rule.for);
  const window = minutes(signalWindow(check.signal));
  if (ARRIVAL_MINUTE + hold + SLACK_MINUTES >= window) {
    throw new Error(`${check.alert}: its for (${check.rule.for}) must be well inside its window`);
  }
  // Still inside the window when evaluated, and held past `for`. The counter starts at zero
  // inside the window, so `increase` counts the events exactly: no need to fill the window
  // (promtool evaluates every rule at each minute a group lasts).
  const step = ARRIVAL_MINUTE;
  const at = step + hold + SLACK_MINUTES;
  const labels = { namespace, service: check.service };
  const base = scrapeLabels(check.service, namespace);
  return [
    { count: check.minimum, fires: true },
    { count: check.minimum - 1, fires: false },
  ].map(
    ({ count, fires }): PromtoolTestGroup => ({
      name: `${check.service} ${check.alert}: ${count} events in the window, all failing (minimum ${num(check.minimum)})`,
      interval: '1m',
      input_series: [
        {
          series: labelled(source.metric, { ...base, [source.label]: source.failure }),
          values: `0+0x${step - 1} ${num(count)}+0x${at - step}`,
        },
        {
          series: labelled(source.metric, { ...base, [source.label]: source.success }),
          values: `0+0x${at}`,
        },
      ],
      alert_rule_test: [
        {
          eval_time: `${at}m`,
          alertname: check.alert,
          exp_alerts: fires ? [expectedAlert(check.rule, labels)] : [],
        },
      ],
    }),
  );
}

/**
 * promtool groups for the threshold alerts that need a minimum number of events: a handful of
 * failures must not alert however large their share, and the minimum itself must.
 */
export function minimumTests(
  checks: readonly ThresholdCheck[],
  namespace: string,
): PromtoolTestGroup[] {
  return checks.flatMap((check) =>
    check.minimum === undefined
      ? []
      : minimumGroups({ ...check, minimum: check.minimum }, namespace),
  );
}
