import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Database } from '../../platform/db.js';
import type { OutboundPolicy } from '../../platform/outbound/public-fetch.js';
import type { Capabilities } from '../domain/scoring.js';
import type { Weights } from '../domain/weights.js';
import type { PublishOutcome } from '../reports/publish-reports.js';
import type { OpportunityInput, RunSummaryInput } from '../reports/report-input.js';
import type { AssistSettings } from './assist-opportunities.js';

/** Settings of discovery, from the service's configuration (definition.ts). */
export interface DiscoverySettings {
  /** The configured component weights, before feedback moved them. */
  readonly weights: Weights;
  /** Signals older than this many days are not read by a run. */
  readonly windowDays: number;
  /** A theme's opportunity is published on aia.ventures.opportunities.v1 the first time it scores at least this (0 to 1). */
  readonly publishThreshold: number;
  /** How long a run's lease lasts without progress before another replica takes the run over. */
  readonly leaseMs: number;
  /** The most signals one run reads (the newest). */
  readonly maxSignals: number;
  readonly outbound: OutboundPolicy;
}

/** The discovery metrics, declared in the catalog (so they start from zero). */
export interface DiscoveryMetrics {
  readonly runs: Counter<'outcome'>;
  readonly signals: Counter;
  readonly opportunities: Counter;
  /** LLM assistance calls by task and outcome (absent: not counted). */
  readonly assist?: Counter<'task' | 'outcome'>;
}

/** What discovery's operations work with. */
export interface DiscoveryContext {
  readonly sql: Database;
  readonly settings: DiscoverySettings;
  readonly logger?: Logger;
  readonly metrics?: DiscoveryMetrics;
  /**
   * What the platform can do (the DKG's skills and tools), for capability fit; 'unavailable'
   * when unknown (the component is then neutral and marked so). Absent: always unavailable.
   */
  readonly capabilities?: () => Promise<Capabilities>;
  /** Publishes a finished run's structured reports (when STRUCTURED_REPORTS_ENABLED). */
  readonly publishReports?: (input: {
    run: RunSummaryInput;
    opportunities: readonly OpportunityInput[];
  }) => Promise<PublishOutcome>;
  /**
   * Optional LLM assistance (`DISCOVERY_LLM_ASSIST`): a summary and extra entities per
   * opportunity from a model. Absent: the deterministic path alone.
   */
  readonly assist?: AssistSettings;
  /** The clock; tests fix it. */
  readonly now?: () => Date;
}

export const nowOf = (context: DiscoveryContext): Date => context.now?.() ?? new Date();
