import {
  failurePercent as counterFailurePercent,
  failureRatio,
  histogramQuantile,
  num,
  re,
} from '../promql/index.js';

/**
 * What the dashboards draw, built with the alerting's PromQL library (`../promql/`): the windows
 * of their panels and the HTTP signals of the RED panels.
 */

/** Window of the rates and ratios drawn over time. */
export const RATE_WINDOW = '5m';

/** Window of the SLO: availability and error budget are counted over 30 days. */
export const SLO_WINDOW = '30d';

/** Sums of the rates of `metric` for `matchers`, failing (with `failure`) over all, by `labels`. */
export const failurePercent = (
  metric: string,
  matchers: readonly string[],
  failure: string,
  labels: readonly string[] = [],
  window = RATE_WINDOW,
) => counterFailurePercent({ metric, matchers, failure, by: labels, window });

/** Responses that count against availability: any 5xx. */
export const SERVER_ERROR = re('status', '5..');

/** 5xx responses over all responses of `matchers`, in percent. */
export const errorPercent = (matchers: readonly string[], labels: readonly string[] = []) =>
  failurePercent('http_requests_total', matchers, SERVER_ERROR, labels);

/** 5xx responses over all responses of `matchers` over the SLO window, as a fraction. */
export const sloErrorRatio = (matchers: readonly string[], labels: readonly string[] = []) =>
  failureRatio({
    metric: 'http_requests_total',
    matchers,
    failure: SERVER_ERROR,
    by: labels,
    window: SLO_WINDOW,
  });

/** The `q` quantile of request duration, from the histogram buckets, by `labels`. */
export const latencyQuantile = (
  q: number,
  matchers: readonly string[],
  labels: readonly string[] = [],
) =>
  histogramQuantile(q, 'http_request_duration_seconds', matchers, {
    by: labels,
    window: RATE_WINDOW,
  });

/** The error budget of an availability objective (0.999 → 0.001), as a number. */
export const errorBudget = (availability: number) => Number(num(1 - availability));
