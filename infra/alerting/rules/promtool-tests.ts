import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { num } from '../promql/index.js';
import { type RuleOptions, resolveOptions } from './alert-rules.js';
import { burnTests } from './burn-tests.js';
import { eventTests } from './event-tests.js';
import { expectedAlert, SIDES } from './expected-alert.js';
import { type Fixture, minutes, signalFixture } from './fixtures.js';
import { minimumTests } from './minimum-tests.js';
import { watchdogAlert } from './platform-alerts.js';
import { scenarioTests } from './scenario-tests.js';
import { RULE_SETTINGS } from './settings.js';
import { type ThresholdCheck, thresholdChecks } from './threshold-alerts.js';
import type { PromtoolTestFile, PromtoolTestGroup } from './types.js';

export interface PromtoolOptions extends RuleOptions {
  /** The rule file the tests load, relative to the test file. Default `rules.yaml`. */
  readonly ruleFile?: string;
  /** The service whose burn-rate alerts are replayed. Default the public service, else the first. */
  readonly burnRateService?: string;
}

/**
 * Checks in rounds, at most one per signal each (the seed's thresholds, then the rollback
 * triggers), so one test group's series serve several alerts.
 */
function rounds(checks: readonly ThresholdCheck[]): ThresholdCheck[][] {
  const result: ThresholdCheck[][] = [];
  for (const check of checks) {
    const round = result.find((candidates) => candidates.every((c) => c.signal !== check.signal));
    if (round) round.push(check);
    else result.push([check]);
  }
  return result;
}

/** Just past the threshold; a share stays below 1 (99 % x 1.02 would be no share at all). */
const nudge = (check: ThresholdCheck, factor: number) =>
  check.signal === 'latency'
    ? check.threshold * factor
    : Math.min(check.threshold * factor, (check.threshold + 1) / 2);

function thresholdTests(definition: ServiceDefinition, stack: StackName, namespace: string) {
  return rounds(thresholdChecks(definition, stack, namespace)).flatMap((round) => {
    // Long enough for the rate window to fill and every alert to hold past its `for`. A longer
    // window (the improvement signal's 6 h) need not fill: counters that start at zero inside
    // it give exact shares, and promtool evaluates every rule at each minute a group lasts.
    const at =
      Math.max(...round.map((check) => minutes(check.rule.for))) +
      minutes(RULE_SETTINGS.rateWindow) +
      5;
    return SIDES.map(({ side, factor, fires }): PromtoolTestGroup => {
      const fixtures = round.map((check) =>
        signalFixture(check.signal, {
          definition,
          stack,
          namespace,
          value: nudge(check, factor),
          samples: at,
        }),
      );
      return {
        name: `${definition.name} just ${side} ${round.map((c) => `${c.alert} (${num(c.threshold)})`).join(', ')}`,
        interval: '1m',
        input_series: fixtures.flatMap((fixture) => fixture.input),
        alert_rule_test: round.map((check, index) => ({
          eval_time: `${at}m`,
          alertname: check.alert,
          exp_alerts: fires ? [expectedAlert(check.rule, (fixtures[index] as Fixture).labels)] : [],
        })),
      };
    });
  });
}

function watchdogTest(): PromtoolTestGroup {
  const rule = watchdogAlert();
  return {
    name: 'Watchdog always fires',
    interval: '1m',
    input_series: [],
    alert_rule_test: [
      { eval_time: '1m', alertname: rule.alert, exp_alerts: [expectedAlert(rule, {})] },
    ],
  };
}

/**
 * promtool unit tests generated from the same catalog figures as the rules: every threshold
 * alert of every service just above (fires) and just below (silent) its threshold, and with
 * every event failing at its minimum count (fires) and one short of it (silent), every
 * event alert (the event once fires, other values never, an event past the window no more), the
 * burn-rate windows of one service (just above and below each, and the page ending once the
 * short window is clean), fixed scenarios for the workload and data-store alerts, and the
 * Watchdog. `ruleFile` default `rules.yaml`; `burnRateService` default the public service.
 */
export function promtoolTests(stack: StackName, options: PromtoolOptions = {}): PromtoolTestFile {
  const resolved = resolveOptions(options);
  const { catalog, namespaces } = resolved;
  const definitions = Object.values(catalog);
  const burning = options.burnRateService
    ? catalog[options.burnRateService]
    : (definitions.find((definition) => definition.exposure === 'public') ?? definitions[0]);
  return {
    rule_files: [options.ruleFile ?? 'rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      ...definitions.flatMap((definition) => [
        ...thresholdTests(definition, stack, namespaces.services),
        ...minimumTests(
          thresholdChecks(definition, stack, namespaces.services),
          namespaces.services,
        ),
      ]),
      ...eventTests(catalog, namespaces.services),
      ...(burning ? burnTests(burning, namespaces.services) : []),
      ...scenarioTests(resolved),
      watchdogTest(),
    ],
  };
}
