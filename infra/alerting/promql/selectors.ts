import { DEPLOYMENT_VARIANTS } from '../namespaces.js';

/** A PromQL string literal (double-quoted; JSON's escapes are PromQL's). */
export const str = (value: string) => JSON.stringify(value);

/** `label="value"`. */
export const eq = (label: string, value: string) => `${label}=${str(value)}`;

/** `label=~"pattern"` (anchored by Prometheus). */
export const re = (label: string, pattern: string) => `${label}=~${str(pattern)}`;

/** A regular expression matching exactly one of `values`. */
export const oneOf = (values: readonly string[]) =>
  values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** `metric{m1, m2}`. */
export const select = (metric: string, matchers: readonly string[]) =>
  `${metric}{${matchers.join(', ')}}`;

/** The names a service's series and Deployments carry: its own and one per blue-green colour. */
export const serviceVariants = (service: string) => [
  service,
  ...DEPLOYMENT_VARIANTS.map((variant) => `${service}-${variant}`),
];

/** Matchers for the series Prometheus scrapes from `service`'s pods (any colour). */
export const scrapedBy = (service: string, namespace: string) => [
  eq('namespace', namespace),
  re('service', oneOf(serviceVariants(service))),
];

/** Matchers for `service`'s Deployments (any colour) in kube-state-metrics. */
export const deploymentsOf = (service: string, namespace: string) => [
  eq('namespace', namespace),
  re('deployment', oneOf(serviceVariants(service))),
];

/** Matchers for the service's own container (the migration Job's container is `migrate`). */
export const containerOf = (service: string, namespace: string) => [
  eq('namespace', namespace),
  eq('container', service),
];

/** Matchers for the service's own container in its pods (`<service>-...`, any colour). */
export const podContainersOf = (service: string, namespace: string) => [
  eq('namespace', namespace),
  re('pod', `${oneOf([service])}-.*`),
  eq('container', service),
];
