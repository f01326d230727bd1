import { DEFAULT_SERVICES_NAMESPACE } from '../config-schema.js';

/**
 * The namespaces whose series the rules and dashboards select: the services' (configurable:
 * `services.namespace` in the stack configuration), the data stores' and Kafka's. The composition
 * passes the stack's; these defaults serve tests and the offline tools.
 */
export interface AlertingNamespaces {
  readonly services: string;
  readonly data: string;
  readonly kafka: string;
}

export const DEFAULT_NAMESPACES: AlertingNamespaces = {
  services: DEFAULT_SERVICES_NAMESPACE,
  data: 'data',
  kafka: 'kafka',
};

/**
 * Suffixes of a service's extra Deployments and scraped Services: a service the catalog rolls out
 * blue-green (`rollout: 'blue-green'`, aia-api) runs `aia-api-blue` and `aia-api-green`. Their
 * series keep the `service="aia-api"` label the app exports (the ServiceMonitor honours the
 * application's labels); a colour shows in `pod` (`aia-api-blue-…`) and `job`. Rules and
 * dashboards also match the colour names, which a scrape without `honorLabels` would give.
 */
export const DEPLOYMENT_VARIANTS = ['blue', 'green'] as const;
