import type { ServiceDefinition } from '../../../services/catalog.js';
import { eq, num } from '../promql/index.js';
import { alertRule } from './alert.js';
import { BURN_RATE_WINDOWS, type BurnRateWindow, RULE_SETTINGS } from './settings.js';
import { RECORDS } from './signals.js';
import type { AlertingRule } from './types.js';

/** The alert every burn-rate window raises, told apart by `long_window` and `short_window`. */
export const BURN_ALERT = 'ErrorBudgetBurn';

/** The share of requests that may fail: 0.999 → 0.001. Throws unless 0 < availability < 1. */
export function errorBudget(definition: ServiceDefinition): number {
  const { availability } = definition.slo;
  if (!(availability > 0 && availability < 1)) {
    throw new Error(
      `${definition.name}: slo.availability is ${availability}; it must be a fraction between 0 and 1, such as 0.999`,
    );
  }
  return Number((1 - availability).toPrecision(12));
}

/** `50h`, `5d`: how long the whole budget lasts at `factor` times the sustainable rate. */
function exhaustion(factor: number): string {
  const hours = (RULE_SETTINGS.sloWindowDays * 24) / factor;
  return hours < 72 ? `${num(Math.round(hours))}h` : `${num(Math.round(hours / 24))}d`;
}

/** The error ratio above which `window` fires: `factor` times the error budget. */
export const burnThreshold = (window: BurnRateWindow, budget: number) =>
  Number((window.factor * budget).toPrecision(12));

function burnAlert(definition: ServiceDefinition, window: BurnRateWindow): AlertingRule {
  const budget = errorBudget(definition);
  const own = `{${eq('service', definition.name)}}`;
  const above = `> (${num(window.factor)} * ${num(budget)})`;
  const shown = `${num(burnThreshold(window, budget) * 100)}%`;
  const objective = `${num(definition.slo.availability * 100)}%`;
  return alertRule({
    name: BURN_ALERT,
    expr: [
      `${RECORDS.errorRatio(window.longWindow)}${own} ${above}`,
      `and`,
      `${RECORDS.errorRatio(window.shortWindow)}${own} ${above}`,
    ].join('\n'),
    for: window.for,
    severity: window.severity,
    category: window.category,
    service: definition.name,
    labels: { long_window: window.longWindow, short_window: window.shortWindow },
    summary: `{{ $labels.service }} is spending its error budget ${num(window.factor)}x too fast.`,
    description:
      `{{ $labels.service }} in namespace {{ $labels.namespace }} failed more than ${shown} of its requests ` +
      `(over both the last ${window.longWindow} and the last ${window.shortWindow}, ${num(window.factor)}x the error budget ` +
      `of its ${objective} availability objective): at this rate the ${RULE_SETTINGS.sloWindowDays}-day budget lasts ${exhaustion(window.factor)}.`,
  });
}

/** Multi-window multi-burn-rate alerts on the catalog's availability objective. */
export const burnRateAlerts = (definition: ServiceDefinition): AlertingRule[] =>
  BURN_RATE_WINDOWS.map((window) => burnAlert(definition, window));
