import { type MaintenanceWindow, promqlMaintenanceWindow } from '../../maintenance/window.js';
import type { CloudAlert, CloudAlertSeries } from './types.js';

const NOT_PROMQL = /[^A-Za-z0-9_]/g;

/**
 * A Cloud Monitoring metric type as PromQL names it (Google's "Mapping Cloud Monitoring metrics
 * to PromQL"): the first `/` becomes `:`, every other character PromQL does not allow in a name
 * (`.`, `/`, `-`) becomes `_`. `logging.googleapis.com/user/aia-production-http-5xx` is
 * `logging_googleapis_com:user_aia_production_http_5xx`.
 */
export function promqlMetricName(metricType: string): string {
  const slash = metricType.indexOf('/');
  if (slash < 0) throw new Error(`metric type ${metricType} has no domain (expected domain/path)`);
  return `${metricType.slice(0, slash).replace(NOT_PROMQL, '_')}:${metricType.slice(slash + 1).replace(NOT_PROMQL, '_')}`;
}

/** The PromQL selector of a series: its name, `monitored_resource` and any further labels. */
export function promqlSelector(series: CloudAlertSeries & { readonly metricType: string }): string {
  const labels = { monitored_resource: series.resourceType, ...series.labels };
  const matchers = Object.entries(labels).map(
    ([name, value]) => `${name}=${JSON.stringify(value)}`,
  );
  return `${promqlMetricName(series.metricType)}{${matchers.join(',')}}`;
}

/**
 * The PromQL condition of an alert whose metric type is known. A critical alert:
 * `<value> > <threshold>`; a warning: the same `unless on()` the maintenance window is open, so
 * it cannot fire (and an open incident closes) in the window, as Alertmanager mutes its warning
 * routes then. Critical alerts keep paging in the window.
 */
export function cloudAlertQuery(
  alert: Pick<CloudAlert, 'severity' | 'aggregation' | 'window' | 'threshold'> & {
    readonly series: CloudAlertSeries & { readonly metricType: string };
  },
  maintenance: MaintenanceWindow,
): string {
  const [across, over] =
    alert.aggregation === 'sum' ? ['sum', 'sum_over_time'] : ['max', 'last_over_time'];
  const value = `${across}(${over}(${promqlSelector(alert.series)}[${alert.window}]))`;
  const condition = `${value} > ${alert.threshold}`;
  return alert.severity === 'critical'
    ? condition
    : `(${condition}) unless on() (${promqlMaintenanceWindow(maintenance)})`;
}
