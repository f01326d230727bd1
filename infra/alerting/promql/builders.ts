import { select } from './selectors.js';

/**
 * A number as PromQL reads it, rounded to 12 significant digits so binary floating point does
 * not print `0.0010000000000000009` (1 - 0.999) into a query.
 */
export const num = (value: number) => String(Number(value.toPrecision(12)));

export const rate = (selector: string, window: string) => `rate(${selector}[${window}])`;

export const increase = (selector: string, window: string) => `increase(${selector}[${window}])`;

/** `op by (labels) (expr)`, or `op(expr)` without labels. */
export const aggregate = (op: string, labels: readonly string[], expr: string) =>
  labels.length > 0 ? `${op} by (${labels.join(', ')}) (${expr})` : `${op}(${expr})`;

/** `sum by (labels) (expr)`, or `sum(expr)` without labels. */
export const sumBy = (labels: readonly string[], expr: string) => aggregate('sum', labels, expr);

/**
 * `part / whole` as a fraction. A counter that never moved has no series, so the part falls
 * back to `0 * whole`: no failures reads 0, not "no data".
 */
export const ratio = (part: string, whole: string) => `(${part} or 0 * ${whole}) / ${whole}`;

/** `ratio` in percent, comparable with the catalog's `...Percent` thresholds. */
export const percent = (part: string, whole: string) => `100 * ${ratio(part, whole)}`;

/** Counted events of one counter, the failing ones picked by one more matcher. */
export interface CounterShare {
  readonly metric: string;
  readonly matchers: readonly string[];
  readonly failure: string;
  /** Labels the sums keep. Default none. */
  readonly by?: readonly string[];
  readonly window: string;
}

/** The failing share of `metric`'s rate over `window`, summed by `by`, as a fraction. */
export const failureRatio = ({ metric, matchers, failure, by = [], window }: CounterShare) =>
  ratio(
    sumBy(by, rate(select(metric, [...matchers, failure]), window)),
    sumBy(by, rate(select(metric, matchers), window)),
  );

/** `failureRatio` in percent. */
export const failurePercent = (share: CounterShare) => `100 * ${failureRatio(share)}`;

/** The `q` quantile of a histogram (`<metric>_bucket`), from its buckets' rates, by `by`. */
export const histogramQuantile = (
  q: number,
  metric: string,
  matchers: readonly string[],
  { by = [], window }: { readonly by?: readonly string[]; readonly window: string },
) =>
  `histogram_quantile(${num(q)}, ${sumBy([...by, 'le'], rate(select(`${metric}_bucket`, matchers), window))})`;
