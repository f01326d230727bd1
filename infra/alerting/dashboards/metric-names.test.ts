import { describe, expect, it } from 'vitest';
import { metricNames } from './metric-names.js';

describe('metricNames', () => {
  it('finds the metric inside functions, aggregations and label matchers', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{service="a", route=~"/x{1}"}[5m])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
  });

  it('finds every operand of binary operators and skips their keywords and label lists', () => {
    expect(
      metricNames('a / on (pod) group_left (node) b or c unless d and e > bool 1e-3 * f offset 5m'),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('skips strings, Grafana variables, comments and numbers', () => {
    expect(
      metricNames(
        'label_replace(up, "dst", "$1 metric_in_string", "src", "(.*)") # other_metric\n+ rate(x[$__rate_interval]) * 0x1f',
      ),
    ).toEqual(['up', 'x']);
  });

  it('reads a name given as a __name__ matcher', () => {
    expect(metricNames('sum({__name__="process_cpu_seconds_total", job="a"})')).toEqual([
      'process_cpu_seconds_total',
    ]);
  });

  it('lists a metric once however often it is selected', () => {
    expect(metricNames('sum(rate(m{a="1"}[5m])) / sum(rate(m[5m]))')).toEqual(['m']);
  });
});
