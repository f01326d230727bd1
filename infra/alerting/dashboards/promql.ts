/** Window of the rates and ratios drawn over time. */
export const RATE_WINDOW = '5m';

/** Window of the SLO: availability and error budget are counted over 30 days. */
export const SLO_WINDOW = '30d';

/** Namespace the services' pods run in. */
export const WORKLOAD_NAMESPACE = 'aia';

/** `label="value"`, quoted as PromQL (and JSON) quote strings. */
export const eq = (label: string, value: string) => `${label}=${JSON.stringify(value)}`;

/** `label=~"pattern"`. */
export const matches = (label: string, pattern: string) => `${label}=~${JSON.stringify(pattern)}`;

/** A regular expression matching exactly one of `values`. */
export const oneOf = (values: readonly string[]) =>
  values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** `metric{m1, m2}`. */
export const select = (metric: string, ...matchers: readonly string[]) =>
  `${metric}{${matchers.join(', ')}}`;

export const rate = (selector: string, window = RATE_WINDOW) => `rate(${selector}[${window}])`;

export const increase = (selector: string, window: string) => `increase(${selector}[${window}])`;

/** `sum by (labels) (expr)`, or `sum(expr)` when there are no labels. */
export const sumBy = (labels: readonly string[], expr: string) =>
  labels.length > 0 ? `sum by (${labels.join(', ')}) (${expr})` : `sum(${expr})`;

/**
 * `part / whole` as a fraction. A counter that never moved has no series, so the part falls
 * back to `0 * whole`: no failures reads 0, not "no data".
 */
export const ratio = (part: string, whole: string) => `(${part} or 0 * ${whole}) / ${whole}`;

/** `ratio` in percent, comparable with the catalog's `...Percent` thresholds. */
export const percent = (part: string, whole: string) => `100 * ${ratio(part, whole)}`;

/** Sums of the rates of `metric` for `matchers`, failing (with `failure`) over all, by `labels`. */
export function failurePercent(
  metric: string,
  matchers: readonly string[],
  failure: string,
  labels: readonly string[] = [],
  window = RATE_WINDOW,
): string {
  return percent(
    sumBy(labels, rate(select(metric, ...matchers, failure), window)),
    sumBy(labels, rate(select(metric, ...matchers), window)),
  );
}

/** Responses that count against availability: any 5xx. */
export const SERVER_ERROR = matches('status', '5..');

/** 5xx responses over all responses of `matchers`, in percent. */
export const errorPercent = (matchers: readonly string[], labels: readonly string[] = []) =>
  failurePercent('http_requests_total', matchers, SERVER_ERROR, labels);

/** 5xx responses over all responses of `matchers` over the SLO window, as a fraction. */
export const sloErrorRatio = (matchers: readonly string[], labels: readonly string[] = []) =>
  ratio(
    sumBy(labels, rate(select('http_requests_total', ...matchers, SERVER_ERROR), SLO_WINDOW)),
    sumBy(labels, rate(select('http_requests_total', ...matchers), SLO_WINDOW)),
  );

/** The `q` quantile of request duration, from the histogram buckets, by `labels`. */
export const latencyQuantile = (
  q: number,
  matchers: readonly string[],
  labels: readonly string[] = [],
) =>
  `histogram_quantile(${q}, ${sumBy([...labels, 'le'], rate(select('http_request_duration_seconds_bucket', ...matchers)))})`;

/**
 * The error budget of an availability objective (0.999 → 0.001), rounded so that binary
 * floating point does not print 0.0010000000000000009 into a query.
 */
export const errorBudget = (availability: number) => Number((1 - availability).toPrecision(12));
