import type { ServiceDefinition } from '../../../services/catalog.js';
import {
  aggregate,
  containerOf,
  failureRatio as counterFailureRatio,
  eq,
  histogramQuantile,
  num,
  rate,
  re,
  scrapedBy,
  select,
} from '../promql/index.js';
import { ERROR_RATIO_WINDOWS, RULE_SETTINGS } from './settings.js';
import type { RecordingRule } from './types.js';

const { rateWindow, latencyQuantile } = RULE_SETTINGS;

/** Names of the recording rules; each series carries `namespace` and `service`. */
export const RECORDS = {
  requestRate: `service:http_requests:rate${rateWindow}`,
  errorRatio: (window: string) => `service:http_requests_errors:ratio_rate${window}`,
  latency: `service:http_request_duration_seconds:p${num(latencyQuantile * 100)}_rate${rateWindow}`,
  tokenFailureRatio: `service:token_transactions_failed:ratio_rate${rateWindow}`,
  agentFailureRatio: `service:agent_runs_failed:ratio_rate${rateWindow}`,
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
}

export type RatioSignal = 'httpErrors' | 'tokenFailures' | 'agentFailures';
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
};

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
  (['tokenFailures', 'agentFailures'] as const).filter((signal) =>
    definition.metrics.some((metric) => metric.name === RATIO_SOURCES[signal].metric),
  );

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
    ...declaredDomainSignals(definition).map((signal) => ({
      record: RATIO_SOURCES[signal].record,
      expr: failureRatio(RATIO_SOURCES[signal], matchers, rateWindow),
      labels,
    })),
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
