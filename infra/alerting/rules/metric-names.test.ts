import { describe, expect, it } from 'vitest';
import { metricNames, unknownMetrics } from './metric-names.js';

describe('metricNames', () => {
  it('finds a bare selector and one with matchers', () => {
    expect(metricNames('up')).toEqual(['up']);
    expect(metricNames('http_requests_total{service="a", status=~"5.."}')).toEqual([
      'http_requests_total',
    ]);
  });

  it('skips functions, aggregations and the label lists of by, without, on and ignoring', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(
      metricNames('sum without (instance, pod) (a) / ignoring (le) group_left (team) b'),
    ).toEqual(['a', 'b']);
    expect(metricNames('max(x) by (namespace) > on (namespace) group_right y')).toEqual(['x', 'y']);
    expect(metricNames('count by(namespace)(z == bool 0) and on() vector(1)')).toEqual(['z']);
  });

  it('skips strings, including label names and regular expressions in label_replace', () => {
    expect(
      metricNames('label_replace(kube_pod_info, "service", "$1", "pod", "(fake_metric)-.*")'),
    ).toEqual(['kube_pod_info']);
    expect(metricNames(`count_values('version', build_info) or x{a='b{c}'}`)).toEqual([
      'build_info',
      'x',
    ]);
  });

  it('skips numbers, durations, offsets, subqueries, comments and keywords', () => {
    expect(
      metricNames(
        'rate(a[1h30m] offset 5m) > 1e-3 * 0x1f + .5 # comment about other_metric\nor max_over_time(b[1d:5m]) unless Inf > NaN',
      ),
    ).toEqual(['a', 'b']);
  });

  it('keeps recording rule names and reads __name__ matchers', () => {
    expect(metricNames('service:http_requests:rate5m{service="x"} > 0')).toEqual([
      'service:http_requests:rate5m',
    ]);
    expect(metricNames('{__name__="process_cpu_seconds_total", job="x"}')).toEqual([
      'process_cpu_seconds_total',
    ]);
  });

  it('reads expressions over several lines', () => {
    expect(metricNames('a > 1\nand\nb{x="y"} < 2')).toEqual(['a', 'b']);
  });
});

describe('unknownMetrics', () => {
  it('lists a metric nothing provides, by group', () => {
    const groups = [{ name: 'g', rules: [{ record: 'r', expr: 'rate(known[5m]) + unknown' }] }];
    expect(unknownMetrics(groups, () => new Set(['known']))).toEqual(['g: unknown']);
    expect(unknownMetrics(groups, () => new Set(['known', 'unknown']))).toEqual([]);
  });
});
