/**
 * Log-based metrics over the services' request lines (services/platform/logging.ts: one JSON
 * line per request with `service`, `method`, `path`, `status`; GKE's agent puts them in
 * `jsonPayload`), and the alerts on them. Pure: tested without Pulumi.
 */

export interface LogMetric {
  /** Cloud Logging metric name; the alert reads `logging.googleapis.com/user/<name>`. */
  readonly name: string;
  readonly description: string;
  readonly filter: string;
  /** More than this many matching lines in five minutes fires the alert. */
  readonly threshold: number;
  /** The platform's severities (docs/alerting.md): who is told. */
  readonly severity: 'critical' | 'warning';
  /** The one service whose lines it counts, when one: its PagerDuty area is paged. */
  readonly service?: string;
  /** What to do, as a path under docs/: the Prometheus alert's runbook for the same condition. */
  readonly runbook: string;
}

/** Lines of the services' containers in `namespace`. */
const servicesLines = (namespace: string) =>
  `resource.type="k8s_container" AND resource.labels.namespace_name="${namespace}"`;

/** Requests in five minutes above which each burst alerts. */
export const LOG_ALERT_THRESHOLDS = {
  serverErrors: 50,
  authFailures: 100,
  ledgerRefusals: 20,
} as const;

/**
 * 5xx bursts (every service), authentication and authorization failures (401 and 403 answered by
 * any service), and ledger refusals (409 or 422 answered to a transfer by the economic governor).
 */
export function logMetrics(prefix: string, namespace: string): LogMetric[] {
  const lines = servicesLines(namespace);
  return [
    {
      name: `${prefix}-http-5xx`,
      description: 'Requests the services answered with a 5xx status.',
      filter: `${lines} AND jsonPayload.status>=500`,
      threshold: LOG_ALERT_THRESHOLDS.serverErrors,
      severity: 'critical',
      runbook: 'runbooks/http-error-rate-high.md',
    },
    {
      name: `${prefix}-auth-failures`,
      description: 'Requests refused as unauthenticated (401) or unauthorized (403).',
      filter: `${lines} AND (jsonPayload.status=401 OR jsonPayload.status=403)`,
      threshold: LOG_ALERT_THRESHOLDS.authFailures,
      severity: 'warning',
      runbook: 'logging.md#auth-failures',
    },
    {
      name: `${prefix}-ledger-refusals`,
      description: 'Transfers the ledger refused (409 or 422 from the economic governor).',
      filter: `${lines} AND jsonPayload.service="economic-governor" AND jsonPayload.method="POST" AND jsonPayload.path=~"^/v1/transfers" AND (jsonPayload.status=409 OR jsonPayload.status=422)`,
      threshold: LOG_ALERT_THRESHOLDS.ledgerRefusals,
      severity: 'warning',
      service: 'economic-governor',
      runbook: 'runbooks/token-transaction-failures-high.md',
    },
  ];
}
