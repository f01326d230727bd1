import { ALL } from '../domain/scope.js';
import { completionRate } from '../domain/scorecard.js';
import { describeWindow, type WindowSettings } from '../domain/windows.js';
import type { ScorecardRow } from '../repository/scorecard-store.js';

/**
 * A scorecard as the API shows it: the score and every number it came from (runs, successes,
 * failures, the window), quality, latency percentiles and exact costs (decimal strings).
 */
export function scorecardView(row: ScorecardRow, settings: WindowSettings) {
  return {
    agent_id: row.agentId === ALL ? null : row.agentId,
    skill: row.skill === ALL ? null : row.skill,
    window: describeWindow(row.window, row.asOf, settings),
    score: row.score,
    runs: row.runs,
    successes: row.successes,
    failures: row.failures,
    cancelled: row.cancelled,
    completion_rate: completionRate(row),
    completion_lower_bound: row.score,
    quality: { mean: row.qualityMean, evaluated_runs: row.qualityCount },
    latency_ms: { p50: row.latencyP50Ms, p95: row.latencyP95Ms },
    cost: { total: row.costTotal, per_success: row.costPerSuccess },
  };
}

export type ScorecardView = ReturnType<typeof scorecardView>;
