import {
  type ServiceName,
  type StackName,
  catalog as serviceCatalog,
} from '../../../services/catalog.js';
import { DEFAULT_NAMESPACES } from '../namespaces.js';
import { eq, podContainersOf, rate, select, sumBy } from '../promql/index.js';
import { type Catalog, LINE_COLORS } from './catalog.js';
import { type Dashboard, dashboard } from './dashboard.js';
import { target, thresholdSteps, timeseries } from './panels.js';
import {
  errorBudget,
  errorPercent,
  latencyQuantile,
  RATE_WINDOW,
  SLO_WINDOW,
  sloErrorRatio,
} from './promql.js';
import { stat } from './summary-panels.js';

/** Titles of the panels of every service dashboard. */
export const SERVICE_PANELS = {
  requestRate: 'Request rate by route',
  errors: 'Error ratio (5xx)',
  latency: 'Latency p50 / p95 / p99',
  cpu: 'CPU vs limit',
  memory: 'Memory vs limit',
  availability: `Availability (${SLO_WINDOW})`,
  errorBudget: `Error budget remaining (${SLO_WINDOW})`,
} as const;

/** What the service's containers use of their `resource` limit, in percent, by pod. */
function saturation(service: string, namespace: string, resource: 'cpu' | 'memory'): string {
  const container = podContainersOf(service, namespace);
  const usage =
    resource === 'cpu'
      ? rate(select('container_cpu_usage_seconds_total', container), RATE_WINDOW)
      : select('container_memory_working_set_bytes', container);
  const limit = select('kube_pod_container_resource_limits', [
    ...container,
    eq('resource', resource),
  ]);
  return `100 * ${sumBy(['pod'], usage)} / ${sumBy(['pod'], limit)}`;
}

/**
 * The RED dashboard of `service` on `stack`: request rate, 5xx ratio, latency quantiles,
 * CPU and memory against the limits, availability and error budget over the SLO window. Every
 * threshold line is read from the catalog entry, so changing a figure there moves the line.
 * `namespace` is the services' (the stack's `services.namespace`).
 */
export function serviceDashboard(
  service: ServiceName,
  stack: StackName,
  catalog: Catalog = serviceCatalog,
  namespace: string = DEFAULT_NAMESPACES.services,
): Dashboard {
  const definition = catalog[service];
  const { name, slo, rollback } = definition;
  const alerts = definition.alerts[stack];
  const own = [eq('service', name)];
  const budget = errorBudget(slo.availability);
  const sloRatio = sloErrorRatio(own);
  const quantiles = [0.5, 0.95, 0.99].map((q, i) =>
    target(String.fromCharCode(65 + i), latencyQuantile(q, own), `p${Math.round(q * 100)}`),
  );

  return dashboard({
    name,
    title: `${name} — RED`,
    description: `${definition.description}. Rate, errors, duration and saturation, with the thresholds of services/${name}/definition.ts.`,
    stack,
    tags: ['service', name],
    panels: [
      timeseries({
        title: SERVICE_PANELS.requestRate,
        description: 'Requests per second by route, all statuses.',
        unit: 'reqps',
        targets: [
          target(
            'A',
            sumBy(['route'], rate(select('http_requests_total', own), RATE_WINDOW)),
            '{{route}}',
          ),
        ],
      }),
      timeseries({
        title: SERVICE_PANELS.errors,
        description: `Share of responses with status 5xx. Orange: alert above ${alerts.errorRatePercent} %; red: rollback above ${rollback.errorRatePercent} %.`,
        unit: 'percent',
        targets: [target('A', errorPercent(own), '5xx')],
        thresholds: [
          { value: alerts.errorRatePercent, color: LINE_COLORS.alert },
          { value: rollback.errorRatePercent, color: LINE_COLORS.rollback },
        ],
      }),
      timeseries({
        title: SERVICE_PANELS.latency,
        description: `Request duration quantiles. Yellow: objective p95 ${slo.latencyP95Seconds} s; orange: alert above ${alerts.latencyP95Seconds} s; red: rollback above ${rollback.latencyP95Seconds} s.`,
        unit: 's',
        targets: quantiles,
        thresholds: [
          { value: slo.latencyP95Seconds, color: LINE_COLORS.objective },
          { value: alerts.latencyP95Seconds, color: LINE_COLORS.alert },
          { value: rollback.latencyP95Seconds, color: LINE_COLORS.rollback },
        ],
      }),
      timeseries({
        title: SERVICE_PANELS.cpu,
        description: `CPU used by each pod's ${name} container over its limit. Orange: alert above ${alerts.cpuPercent} %.`,
        unit: 'percent',
        targets: [target('A', saturation(name, namespace, 'cpu'), '{{pod}}')],
        thresholds: [{ value: alerts.cpuPercent, color: LINE_COLORS.alert }],
      }),
      timeseries({
        title: SERVICE_PANELS.memory,
        description: `Working-set memory of each pod's ${name} container over its limit. Orange: alert above ${alerts.memoryPercent} %.`,
        unit: 'percent',
        targets: [target('A', saturation(name, namespace, 'memory'), '{{pod}}')],
        thresholds: [{ value: alerts.memoryPercent, color: LINE_COLORS.alert }],
      }),
      stat({
        title: SERVICE_PANELS.availability,
        description: `Share of responses that were not 5xx over ${SLO_WINDOW}. Objective: ${slo.availability}.`,
        unit: 'percentunit',
        decimals: 3,
        targets: [target('A', `1 - ${sloRatio}`, 'availability', { instant: true })],
        steps: thresholdSteps('red', [{ value: slo.availability, color: 'green' }]),
      }),
      stat({
        title: SERVICE_PANELS.errorBudget,
        description: `1 - (error ratio over ${SLO_WINDOW}) / ${budget}, the budget of a ${slo.availability} objective. Below 0: the objective is missed.`,
        unit: 'percentunit',
        targets: [target('A', `1 - ${sloRatio} / ${budget}`, 'remaining', { instant: true })],
        steps: thresholdSteps('red', [
          { value: 0, color: LINE_COLORS.alert },
          { value: 0.25, color: 'green' },
        ]),
      }),
    ],
  });
}
