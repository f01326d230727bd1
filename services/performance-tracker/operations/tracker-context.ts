import type { Counter, Gauge } from 'prom-client';
import type { Database } from '../../platform/db.js';
import type { ReadPool } from '../../platform/read-replica.js';
import type { WindowSettings } from '../domain/windows.js';

/** What the tracker's operations work with. */
export interface TrackerContext {
  readonly sql: Database;
  /**
   * Reads that tolerate the read replica's bounded lag (leaderboards, scorecards, rank history:
   * data the workers refresh anyway). Without it they use `sql`.
   */
  readonly reads?: ReadPool;
  readonly windows: WindowSettings;
  /** Metrics, when the service exports them (tests may leave them out). */
  readonly metrics?: TrackerMetrics;
}

/** The tracker's domain metrics (see metrics.ts). */
export interface TrackerMetrics {
  /** `performance_runs_ingested_total{outcome}`, declared in the catalog. */
  readonly runsIngested: Counter<'outcome'>;
  /** `performance_ingest_lag_seconds`: how old the last run taken in was when it was taken in. */
  readonly ingestLag: Gauge;
}
