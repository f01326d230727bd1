import { type StackName, catalog as serviceCatalog } from '../../../services/catalog.js';
import { DEFAULT_NAMESPACES } from '../namespaces.js';
import { eq, increase, oneOf, rate, re, select, sumBy } from '../promql/index.js';
import { type Catalog, LINE_COLORS, sharedValue } from './catalog.js';
import { type Dashboard, dashboard } from './dashboard.js';
import { type ThresholdLine, target, thresholdSteps, timeseries } from './panels.js';
import { errorPercent, latencyQuantile, RATE_WINDOW, SLO_WINDOW, sloErrorRatio } from './promql.js';
import { table } from './summary-panels.js';

/** Titles of the panels of the platform overview. */
export const OVERVIEW_PANELS = {
  services: 'Services',
  requestRate: 'Request rate by service',
  errors: 'Error ratio (5xx) by service',
  latency: 'Latency p95 by service',
  targets: 'Scrape targets up by service',
  restarts: 'Pod restarts (1h)',
} as const;

const BY_SERVICE = ['service'];

/** A sentence saying which lines the panel draws, or that they differ between services. */
function linesNote(
  lines: readonly (ThresholdLine & { readonly what: string })[],
  unit: string,
): string {
  if (lines.some((line) => line.value === undefined)) {
    return 'Thresholds differ between services: see each service dashboard for its lines.';
  }
  return lines.map((line) => `${line.color}: ${line.what} ${line.value} ${unit}`).join('; ');
}

/**
 * One dashboard over all catalog services on `stack`: availability, rate, p95 and error ratio
 * per service, scrape targets and pod restarts in the services' `namespace`. Threshold lines are
 * drawn when every service shares the catalog figure.
 */
export function platformOverviewDashboard(
  stack: StackName,
  catalog: Catalog = serviceCatalog,
  namespace: string = DEFAULT_NAMESPACES.services,
): Dashboard {
  const all = [re('service', oneOf(Object.values(catalog).map((d) => d.name)))];
  const errorLines = [
    {
      what: 'alert above',
      value: sharedValue(catalog, (d) => d.alerts[stack].errorRatePercent),
      color: LINE_COLORS.alert,
    },
    {
      what: 'rollback above',
      value: sharedValue(catalog, (d) => d.rollback.errorRatePercent),
      color: LINE_COLORS.rollback,
    },
  ];
  const latencyLines = [
    {
      what: 'objective',
      value: sharedValue(catalog, (d) => d.slo.latencyP95Seconds),
      color: LINE_COLORS.objective,
    },
    {
      what: 'alert above',
      value: sharedValue(catalog, (d) => d.alerts[stack].latencyP95Seconds),
      color: LINE_COLORS.alert,
    },
    {
      what: 'rollback above',
      value: sharedValue(catalog, (d) => d.rollback.latencyP95Seconds),
      color: LINE_COLORS.rollback,
    },
  ];
  const instant = { instant: true, table: true };

  return dashboard({
    name: 'aia-platform-overview',
    title: 'AIA Platform — overview',
    description:
      'All catalog services at a glance: availability, traffic, errors, latency, restarts.',
    stack,
    tags: ['overview'],
    panels: [
      table({
        title: OVERVIEW_PANELS.services,
        description: `Per service: availability over ${SLO_WINDOW}, and request rate, p95 and 5xx ratio now.`,
        targets: [
          target('A', `1 - ${sloErrorRatio(all, BY_SERVICE)}`, '', instant),
          target(
            'B',
            sumBy(BY_SERVICE, rate(select('http_requests_total', all), RATE_WINDOW)),
            '',
            instant,
          ),
          target('C', latencyQuantile(0.95, all, BY_SERVICE), '', instant),
          target('D', errorPercent(all, BY_SERVICE), '', instant),
        ],
        steps: thresholdSteps('green', []),
        columns: {
          A: { name: `Availability (${SLO_WINDOW})`, unit: 'percentunit' },
          B: { name: 'Requests/s', unit: 'reqps' },
          C: { name: 'p95', unit: 's' },
          D: { name: '5xx ratio', unit: 'percent' },
        },
      }),
      timeseries({
        title: OVERVIEW_PANELS.requestRate,
        description: 'Requests per second by service, all statuses.',
        unit: 'reqps',
        targets: [
          target(
            'A',
            sumBy(BY_SERVICE, rate(select('http_requests_total', all), RATE_WINDOW)),
            '{{service}}',
          ),
        ],
      }),
      timeseries({
        title: OVERVIEW_PANELS.errors,
        description: `Share of 5xx responses by service. ${linesNote(errorLines, '%')}.`,
        unit: 'percent',
        targets: [target('A', errorPercent(all, BY_SERVICE), '{{service}}')],
        thresholds: errorLines,
      }),
      timeseries({
        title: OVERVIEW_PANELS.latency,
        description: `95th percentile of request duration by service. ${linesNote(latencyLines, 's')}.`,
        unit: 's',
        targets: [target('A', latencyQuantile(0.95, all, BY_SERVICE), '{{service}}')],
        thresholds: latencyLines,
      }),
      timeseries({
        title: OVERVIEW_PANELS.targets,
        description: 'Pods Prometheus scrapes successfully, by service.',
        unit: 'short',
        targets: [target('A', sumBy(BY_SERVICE, select('up', all)), '{{service}}')],
      }),
      timeseries({
        title: OVERVIEW_PANELS.restarts,
        description: `Container restarts over the last hour, by pod, in namespace ${namespace}.`,
        unit: 'short',
        targets: [
          target(
            'A',
            sumBy(
              ['pod'],
              increase(
                select('kube_pod_container_status_restarts_total', [eq('namespace', namespace)]),
                '1h',
              ),
            ),
            '{{pod}}',
          ),
        ],
      }),
    ],
  });
}
