import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { num } from '../promql/index.js';
import { alertRule } from './alert.js';
import { RULE_SETTINGS } from './settings.js';
import { isDomainSignal, RATIO_SOURCES, type Signal, signalCount, signalValue } from './signals.js';
import type { AlertingRule, Category, Severity } from './types.js';

const { rateWindow, thresholdFor, rollbackFor, resourceFor, improvement } = RULE_SETTINGS;

/** A floor on the events in the signal's window: below it the share is too thin to alert on. */
interface MinimumSpec {
  readonly source: (stack: StackName) => string;
  readonly figure: (definition: ServiceDefinition, stack: StackName) => number | undefined;
}

interface ThresholdAlertSpec {
  readonly name: string;
  readonly signal: Signal;
  readonly severity: Severity;
  readonly category: Category;
  readonly for: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Where the figure comes from in a catalog entry, for messages and descriptions. */
  readonly source: (stack: StackName) => string;
  /** The catalog's figure for this service and stack, if it has one. */
  readonly figure: (definition: ServiceDefinition, stack: StackName) => number | undefined;
  readonly unit: 'percent' | 'seconds';
  /** With a minimum, the alert also needs that many events in the window (the signal counts them). */
  readonly minimum?: MinimumSpec;
  /** `$labels` holds the expression's labels only; the service's name comes as `service`. */
  readonly summary: (shown: string, service: string) => string;
  readonly description: (shown: string, service: string) => string;
}

const who = '{{ $labels.service }} in namespace {{ $labels.namespace }}';
const pod = (service: string) =>
  `Container {{ $labels.container }} of ${service} pod {{ $labels.pod }} ({{ $labels.namespace }})`;

/** The seed's threshold alerts and the rollback triggers, each read from the catalog. */
const THRESHOLD_ALERTS: readonly ThresholdAlertSpec[] = [
  {
    name: 'HttpErrorRateHigh',
    signal: 'httpErrors',
    severity: 'warning',
    category: 'performance_degradation',
    for: thresholdFor,
    source: (stack) => `alerts.${stack}.errorRatePercent`,
    figure: (d, stack) => d.alerts[stack].errorRatePercent,
    unit: 'percent',
    summary: (x) => `{{ $labels.service }} answers more than ${x} of requests with a server error.`,
    description: (x) =>
      `${who} answered more than ${x} of its requests with a 5xx status over the last ${rateWindow}.`,
  },
  {
    name: 'HttpLatencyP95High',
    signal: 'latency',
    severity: 'warning',
    category: 'performance_degradation',
    for: thresholdFor,
    source: (stack) => `alerts.${stack}.latencyP95Seconds`,
    figure: (d, stack) => d.alerts[stack].latencyP95Seconds,
    unit: 'seconds',
    summary: (x) => `{{ $labels.service }} is slow: p95 request latency is above ${x}.`,
    description: (x) =>
      `The 95th-percentile request latency of ${who} has been above ${x} over the last ${rateWindow}.`,
  },
  {
    name: 'TokenTransactionFailuresHigh',
    signal: 'tokenFailures',
    severity: 'critical',
    category: 'performance_degradation',
    for: thresholdFor,
    source: (stack) => `alerts.${stack}.tokenTransactionFailurePercent`,
    figure: (d, stack) => d.alerts[stack].tokenTransactionFailurePercent,
    unit: 'percent',
    summary: (x) => `More than ${x} of token transactions fail.`,
    description: (x) =>
      `More than ${x} of the token transactions of ${who} ended with result="failed" (an error, not a rule's refusal) over the last ${rateWindow}.`,
  },
  {
    name: 'AgentFailureRateHigh',
    signal: 'agentFailures',
    severity: 'warning',
    category: 'improvement_failures',
    for: thresholdFor,
    source: (stack) => `alerts.${stack}.agentFailurePercent`,
    figure: (d, stack) => d.alerts[stack].agentFailurePercent,
    unit: 'percent',
    summary: (x) => `More than ${x} of agent runs fail.`,
    description: (x) =>
      `More than ${x} of the agent runs of ${who} ended with outcome="failed" over the last ${rateWindow}.`,
  },
  {
    name: 'ImprovementEvaluationsFailing',
    signal: 'improvementFailures',
    severity: 'warning',
    category: 'improvement_failures',
    for: improvement.for,
    source: (stack) => `alerts.${stack}.improvementFailurePercent`,
    figure: (d, stack) => d.alerts[stack].improvementFailurePercent,
    unit: 'percent',
    minimum: {
      source: (stack) => `alerts.${stack}.improvementMinEvaluations`,
      figure: (d, stack) => d.alerts[stack].improvementMinEvaluations,
    },
    summary: (x) => `More than ${x} of agent variant evaluations cannot be done.`,
    description: (x) =>
      `More than ${x} of the variant evaluations of ${who} ended with outcome="failed" (the runner, the variant or its benchmark set failed; not a variant found no better) over the last ${improvement.window}.`,
  },
  {
    name: 'RollbackErrorRateExceeded',
    signal: 'httpErrors',
    severity: 'critical',
    category: 'performance_degradation',
    for: rollbackFor,
    labels: { rollback: 'true' },
    source: () => 'rollback.errorRatePercent',
    figure: (d) => d.rollback.errorRatePercent,
    unit: 'percent',
    summary: (x) => `{{ $labels.service }} crossed its rollback trigger: more than ${x} errors.`,
    description: (x) =>
      `${who} answered more than ${x} of its requests with a 5xx status over the last ${rateWindow}: roll the release back.`,
  },
  {
    name: 'RollbackLatencyExceeded',
    signal: 'latency',
    severity: 'critical',
    category: 'performance_degradation',
    for: rollbackFor,
    labels: { rollback: 'true' },
    source: () => 'rollback.latencyP95Seconds',
    figure: (d) => d.rollback.latencyP95Seconds,
    unit: 'seconds',
    summary: (x) => `{{ $labels.service }} crossed its rollback trigger: p95 latency above ${x}.`,
    description: (x) =>
      `The 95th-percentile request latency of ${who} has been above ${x} over the last ${rateWindow}: roll the release back.`,
  },
  {
    name: 'ContainerMemoryHigh',
    signal: 'memory',
    severity: 'warning',
    category: 'high_resource_usage',
    for: resourceFor,
    source: (stack) => `alerts.${stack}.memoryPercent`,
    figure: (d, stack) => d.alerts[stack].memoryPercent,
    unit: 'percent',
    summary: (x, service) => `A container of ${service} uses more than ${x} of its memory limit.`,
    description: (x, service) =>
      `${pod(service)} has a memory working set above ${x} of its limit; at the limit it is OOM-killed.`,
  },
  {
    name: 'ContainerCpuHigh',
    signal: 'cpu',
    severity: 'warning',
    category: 'high_resource_usage',
    for: resourceFor,
    source: (stack) => `alerts.${stack}.cpuPercent`,
    figure: (d, stack) => d.alerts[stack].cpuPercent,
    unit: 'percent',
    summary: (x, service) => `A container of ${service} uses more than ${x} of its CPU limit.`,
    description: (x, service) =>
      `${pod(service)} has used more than ${x} of its CPU limit over the last ${rateWindow}; beyond the limit it is throttled.`,
  },
];

/** One threshold alert of one service: what promtool fixtures are generated from. */
export interface ThresholdCheck {
  readonly alert: string;
  readonly service: string;
  readonly signal: Signal;
  /** A fraction for percentages (0.05 for 5 %), seconds for latencies. */
  readonly threshold: number;
  /** Events the window must hold before the alert may fire, if it has a minimum. */
  readonly minimum?: number;
  readonly rule: AlertingRule;
}

function checkFigure(
  definition: ServiceDefinition,
  spec: ThresholdAlertSpec,
  figure: number,
  source: string,
) {
  // At 100 % or more the alert could never fire (a share of failures or of a limit never exceeds it).
  const valid = spec.unit === 'percent' ? figure > 0 && figure < 100 : figure > 0;
  if (!Number.isFinite(figure) || !valid) {
    const range = spec.unit === 'percent' ? 'a percentage between 0 and 100' : 'above 0 s';
    throw new Error(`${definition.name}: ${source} is ${figure}; it must be ${range}`);
  }
  if (!isDomainSignal(spec.signal)) return;
  const counter = RATIO_SOURCES[spec.signal];
  const declared = definition.metrics.find((metric) => metric.name === counter.metric);
  const values = declared?.labels[counter.label] ?? [];
  if (!values.includes(counter.failure) || !values.includes(counter.success)) {
    throw new Error(
      `${definition.name}: ${source} is set but the catalog does not declare ${counter.metric} with ${counter.label} values "${counter.failure}" and "${counter.success}": the alert would watch a series the service never exports`,
    );
  }
}

/** The spec's minimum from the catalog: required with its threshold, a whole number from 1. */
function minimumOf(
  definition: ServiceDefinition,
  spec: ThresholdAlertSpec,
  stack: StackName,
  source: string,
): number | undefined {
  if (!spec.minimum) return undefined;
  const minimum = spec.minimum.figure(definition, stack);
  const where = spec.minimum.source(stack);
  if (minimum === undefined) {
    throw new Error(
      `${definition.name}: ${source} is set without ${where}: say how many events the window must hold before it alerts`,
    );
  }
  if (!Number.isInteger(minimum) || minimum < 1) {
    throw new Error(`${definition.name}: ${where} is ${minimum}; it must be a whole number from 1`);
  }
  return minimum;
}

/** Every threshold alert the catalog asks for on `stack`, service by service. */
export function thresholdChecks(
  definition: ServiceDefinition,
  stack: StackName,
  namespace: string,
): ThresholdCheck[] {
  return THRESHOLD_ALERTS.flatMap((spec) => {
    const figure = spec.figure(definition, stack);
    if (figure === undefined) return [];
    const source = spec.source(stack);
    checkFigure(definition, spec, figure, source);
    const threshold = spec.unit === 'percent' ? figure / 100 : figure;
    const shown = spec.unit === 'percent' ? `${num(figure)}%` : `${num(figure)}s`;
    const minimum = minimumOf(definition, spec, stack, source);
    const count = signalCount(spec.signal, definition.name);
    if (minimum !== undefined && !count) {
      throw new Error(
        `${spec.name}: a minimum needs a signal that counts its events, not ${spec.signal}`,
      );
    }
    const guard = minimum === undefined ? '' : ` and ${count} >= ${num(minimum)}`;
    const atLeast =
      minimum === undefined
        ? ''
        : ` Alerts only with at least ${num(minimum)} in the window (${spec.minimum?.source(stack)}).`;
    const rule = alertRule({
      name: spec.name,
      expr: `${signalValue(spec.signal, definition.name, namespace)} > ${num(threshold)}${guard}`,
      for: spec.for,
      severity: spec.severity,
      category: spec.category,
      service: definition.name,
      labels: spec.labels,
      summary: spec.summary(shown, definition.name),
      description: `${spec.description(shown, definition.name)} Threshold: ${source} = ${num(figure)} in the service catalog.${atLeast}`,
    });
    return [
      { alert: spec.name, service: definition.name, signal: spec.signal, threshold, minimum, rule },
    ];
  });
}
