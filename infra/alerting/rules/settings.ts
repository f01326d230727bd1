import { NODE_POOL_NAME } from '../../components/kafka/settings.js';
import { NEO4J_RELEASE } from '../../components/neo4j/settings.js';
import { type AlertingNamespaces, DEFAULT_NAMESPACES, DEPLOYMENT_VARIANTS } from '../namespaces.js';

/** Where the repository's docs/ folder is read on the web. */
export const DOCS_BASE_URL = 'https://github.com/aia-platform/aia-platform/blob/main/docs';

/** Where each alert's runbook lives: `<base>/<alert-name-kebab>.md`. */
export const RUNBOOK_BASE_URL = `${DOCS_BASE_URL}/runbooks`;

/** Where runbooks live in the repository, relative to its root. */
export const RUNBOOK_DIR = 'docs/runbooks';

/** Namespaces the rules select series of (`../namespaces.ts`); the services' one is configurable. */
export type RuleNamespaces = AlertingNamespaces;
export { DEFAULT_NAMESPACES, DEPLOYMENT_VARIANTS };

/** One multi-window multi-burn-rate alert: SRE workbook, 30-day error budget. */
export interface BurnRateWindow {
  readonly factor: number;
  readonly longWindow: string;
  readonly shortWindow: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly category: 'system_down' | 'performance_degradation';
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  {
    factor: 14.4,
    longWindow: '1h',
    shortWindow: '5m',
    for: '2m',
    severity: 'critical',
    category: 'system_down',
  },
  {
    factor: 6,
    longWindow: '6h',
    shortWindow: '30m',
    for: '15m',
    severity: 'critical',
    category: 'performance_degradation',
  },
  {
    factor: 3,
    longWindow: '1d',
    shortWindow: '2h',
    for: '1h',
    severity: 'warning',
    category: 'performance_degradation',
  },
  {
    factor: 1,
    longWindow: '3d',
    shortWindow: '6h',
    for: '3h',
    severity: 'warning',
    category: 'performance_degradation',
  },
];

/** Every window an error ratio is recorded over: the burn-rate windows, short and long. */
export const ERROR_RATIO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/**
 * What the alerts need besides the catalog's thresholds: windows, `for` durations and the
 * figures of components the catalog does not describe (data stores, pods). Kept here, never
 * inline in an expression.
 */
export const RULE_SETTINGS = {
  /** The period an availability objective is counted over. */
  sloWindowDays: 30,
  /** Window of the rates behind the threshold alerts and the p95. */
  rateWindow: '5m',
  /** The quantile the latency thresholds apply to. */
  latencyQuantile: 0.95,
  /** Responses that count against availability. */
  serverErrorStatus: '5..',
  thresholdFor: '5m',
  /**
   * Variant evaluations are rare (minutes each, one at a time per replica): their failing share
   * is taken over hours, not the 5-minute rate window, and must hold a while before it alerts.
   */
  improvement: { window: '6h', for: '15m' },
  /**
   * Events that should not happen at all (a refused epoch payout): an alert from the first one,
   * held this window after the last, long enough to be seen and routed; the event itself stays
   * on record in its service (a refused epoch is listed until an admin releases it).
   */
  events: { window: '1h', for: '0m' },
  /** Rollback triggers act fast: a bad release should not serve for long. */
  rollbackFor: '2m',
  resourceFor: '15m',
  restarts: { moreThan: 2, window: '15m', for: '0m' },
  podNotReadyFor: '15m',
  replicasUnavailableFor: '15m',
  serviceDownFor: '2m',
  /** A rollout counts as news this long after the controller saw the new spec (past the 10m progress deadline). */
  deploymentWindow: '15m',
  dataStoreFor: '5m',
  kafka: {
    /** Messages a consumer group may be behind on a topic before it is an alert. */
    consumerLagMessages: 1000,
    lagFor: '15m',
    /** Broker pods of the Strimzi node pool are named `<cluster>-<pool>-<id>`. */
    brokerPod: `.+-${NODE_POOL_NAME}-[0-9]+`,
  },
  neo4j: { statefulSet: NEO4J_RELEASE },
} as const;
