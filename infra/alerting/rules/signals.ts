import type { ServiceDefinition } from '../../../services/catalog.js';
import {
  aggregate,
  containerOf,
  failureRatio as counterFailureRatio,
  eq,
  histogramQuantile,
  increase,
  num,
  rate,
  re,
  scrapedBy,
  select,
} from '../promql/index.js';
import { ERROR_RATIO_WINDOWS, RULE_SETTINGS } from './settings.js';
import type { RecordingRule } from './types.js';

const { rateWindow, latencyQuantile, improvement } = RULE_SETTINGS;

/** Names of the recording rules; each series carries `namespace` and `service`. */
export const RECORDS = {
  requestRate: `service:http_requests:rate${rateWindow}`,
  errorRatio: (window: string) => `service:http_requests_errors:ratio_rate${window}`,
  latency: `service:http_request_duration_seconds:p${num(latencyQuantile * 100)}_rate${rateWindow}`,
  tokenFailureRatio: `service:token_transactions_failed:ratio_rate${rateWindow}`,
  agentFailureRatio: `service:agent_runs_failed:ratio_rate${rateWindow}`,
  improvementFailureRatio: `service:agent_improvements_failed:ratio_rate${improvement.window}`,
  improvementEvaluations: `service:agent_improvements:increase${improvement.window}`,
} as const;

/** A share of failures among the events of one counter, split by one label. */
export interface RatioSource {
  readonly metric: string;
  readonly label: string;
  /** A value that counts as a failure (fixtures use it); `pattern` matches all of them. */
  readonly failure: string;
  readonly pattern?: string;
  /** A value that does not. */
  readonly success: string;
  readonly record: string;
  /** The window the share is taken over. Default the rate window. */
  readonly window?: string;
  /** A record of how many events the window holds, for alerts that need a minimum of them. */
  readonly counted?: string;
}

export type RatioSignal = 'httpErrors' | 'tokenFailures' | 'agentFailures' | 'improvementFailures';
/** Ratio signals of a domain counter a service declares in the catalog. */
export type DomainSignal = Exclude<RatioSignal, 'httpErrors'>;
export const DOMAIN_SIGNALS: readonly DomainSignal[] = [
  'tokenFailures',
  'agentFailures',
  'improvementFailures',
];
export type Signal = RatioSignal | 'latency' | 'memory' | 'cpu';

export const RATIO_SOURCES: Readonly<Record<RatioSignal, RatioSource>> = {
  httpErrors: {
    metric: 'http_requests_total',
    label: 'status',
    failure: '500',
    pattern: RULE_SETTINGS.serverErrorStatus,
    success: '200',
    record: RECORDS.errorRatio(rateWindow),
  },
  tokenFailures: {
    metric: 'token_transactions_total',
    label: 'result',
    failure: 'failed',
    success: 'committed',
    record: RECORDS.tokenFailureRatio,
  },
  agentFailures: {
    metric: 'agent_runs_total',
    label: 'outcome',
    failure: 'failed',
    success: 'succeeded',
    record: RECORDS.agentFailureRatio,
  },
  // `rejected` (a variant not better) is the expected result of most evaluations, not a fault:
  // only `failed` (the evaluation could not be done) counts against the pipeline.
  improvementFailures: {
    metric: 'agent_improvements_total',
    label: 'outcome',
    failure: 'failed',
    success: 'promoted',
    record: RECORDS.improvementFailureRatio,
    window: improvement.window,
    counted: RECORDS.improvementEvaluations,
  },
};

export const isDomainSignal = (signal: Signal): signal is DomainSignal =>
  (DOMAIN_SIGNALS as readonly Signal[]).includes(signal);

const isRatioSignal = (signal: Signal): signal is RatioSignal =>
  Object.hasOwn(RATIO_SOURCES, signal);

/** The window a signal is measured over: its ratio source's, else the rate window. */
export const signalWindow = (signal: Signal) =>
  (isRatioSignal(signal) ? RATIO_SOURCES[signal].window : undefined) ?? rateWindow;

const failureMatcher = (source: RatioSource) =>
  source.pattern ? re(source.label, source.pattern) : eq(source.label, source.failure);

const failureRatio = (source: RatioSource, matchers: readonly string[], window: string) =>
  counterFailureRatio({
    metric: source.metric,
    matchers,
    failure: failureMatcher(source),
    by: ['namespace'],
    window,
  });

/** Domain ratio signals whose counter the service declares in the catalog. */
const declaredDomainSignals = (definition: ServiceDefinition) =>
  DOMAIN_SIGNALS.filter((signal) =>
    definition.metrics.some((metric) => metric.name === RATIO_SOURCES[signal].metric),
  );

/**
 * The share of failures of a domain signal and, if its alert needs a minimum, the events'
 * count, both summed over the replicas (`sum by (namespace)`: each replica's counter starts at
 * zero; a counter without series yields nothing, never a division by zero).
 */
function domainRecords(
  signal: DomainSignal,
  matchers: readonly string[],
  labels: Readonly<Record<string, string>>,
): RecordingRule[] {
  const source = RATIO_SOURCES[signal];
  const window = source.window ?? rateWindow;
  const share = { record: source.record, expr: failureRatio(source, matchers, window), labels };
  if (!source.counted) return [share];
  const count = aggregate('sum', ['namespace'], increase(select(source.metric, matchers), window));
  return [share, { record: source.counted, expr: count, labels }];
}

/** Request rate, 5xx ratio over every burn-rate window, p95 latency and domain failure ratios. */
export function recordingRules(definition: ServiceDefinition, namespace: string): RecordingRule[] {
  const matchers = scrapedBy(definition.name, namespace);
  const labels = { service: definition.name };
  const http = RATIO_SOURCES.httpErrors;
  return [
    {
      record: RECORDS.requestRate,
      expr: aggregate('sum', ['namespace'], rate(select(http.metric, matchers), rateWindow)),
      labels,
    },
    ...ERROR_RATIO_WINDOWS.map((window) => ({
      record: RECORDS.errorRatio(window),
      expr: failureRatio(http, matchers, window),
      labels,
    })),
    {
      record: RECORDS.latency,
      expr: histogramQuantile(latencyQuantile, 'http_request_duration_seconds', matchers, {
        by: ['namespace'],
        window: rateWindow,
      }),
      labels,
    },
    ...declaredDomainSignals(definition).flatMap((signal) =>
      domainRecords(signal, matchers, labels),
    ),
  ];
}

const byContainer = ['namespace', 'pod', 'container'];

const limitOf = (resource: 'cpu' | 'memory', matchers: readonly string[]) =>
  aggregate(
    'max',
    byContainer,
    select('kube_pod_container_resource_limits', [...matchers, eq('resource', resource)]),
  );

/** The value a threshold is compared with: a recorded series, or a usage share of the limit. */
export function signalValue(signal: Signal, service: string, namespace: string): string {
  const own = `{${eq('service', service)}}`;
  switch (signal) {
    case 'latency':
      return `${RECORDS.latency}${own}`;
    case 'memory': {
      const matchers = containerOf(service, namespace);
      const used = aggregate(
        'max',
        byContainer,
        select('container_memory_working_set_bytes', matchers),
      );
      return `${used} / ${limitOf('memory', matchers)}`;
    }
    case 'cpu': {
      const matchers = containerOf(service, namespace);
      const used = aggregate(
        'max',
        byContainer,
        rate(select('container_cpu_usage_seconds_total', matchers), rateWindow),
      );
      return `${used} / ${limitOf('cpu', matchers)}`;
    }
    default:
      return `${RATIO_SOURCES[signal].record}${own}`;
  }
}

/** The recorded count of a signal's events over its window, if its source records one. */
export function signalCount(signal: Signal, service: string): string | undefined {
  const counted = isRatioSignal(signal) ? RATIO_SOURCES[signal].counted : undefined;
  return counted ? `${counted}{${eq('service', service)}}` : undefined;
}
