import { failureRatio, re, scrapedBy } from '../../../infra/alerting/promql/index.js';
import { RULE_SETTINGS } from '../../../infra/alerting/rules/settings.js';
import { type ServiceName, serviceDefinition } from '../../../services/catalog.js';
import type { InstantQuery } from '../prometheus-query.js';

/**
 * The share of the service's 30-day error budget still left (1: untouched, 0: spent, below 0:
 * overspent), from its 5xx share over the SLO window (every colour) and the catalog's
 * availability objective. Undefined when Prometheus holds no requests of it.
 */
export async function errorBudgetLeft(
  query: InstantQuery,
  service: ServiceName,
  namespace: string,
): Promise<number | undefined> {
  const { availability } = serviceDefinition(service).slo;
  const expr = failureRatio({
    metric: 'http_requests_total',
    matchers: scrapedBy(service, namespace),
    failure: re('status', RULE_SETTINGS.serverErrorStatus),
    window: `${RULE_SETTINGS.sloWindowDays}d`,
  });
  const [sample] = await query(expr);
  return sample === undefined ? undefined : 1 - sample.value / (1 - availability);
}
