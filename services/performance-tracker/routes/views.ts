import { ALL } from '../domain/scope.js';
import { completionRate } from '../domain/scorecard.js';
import { describeWindow, type WindowSettings } from '../domain/windows.js';
import type {
  agentRankHistory,
  agentScorecard,
  leaderboard,
} from '../operations/read-performance.js';
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

/** A leaderboard page as the API shows it: each agent's rank and scorecard. */
export function leaderboardView(
  board: Awaited<ReturnType<typeof leaderboard>>,
  settings: WindowSettings,
) {
  return {
    window: board.window,
    skill: board.skill ?? null,
    ...(board.skillScorecard === undefined
      ? {}
      : {
          skill_scorecard: board.skillScorecard
            ? scorecardView(board.skillScorecard, settings)
            : null,
        }),
    agents: board.agents.map((row) => ({ rank: row.rank, ...scorecardView(row, settings) })),
    next_cursor: board.nextCursor,
  };
}

/** An agent's scorecards as the API shows them. */
export function agentScorecardView(
  card: Awaited<ReturnType<typeof agentScorecard>>,
  settings: WindowSettings,
) {
  return {
    agent_id: card.agentId,
    overall: scorecardView(card.overall, settings),
    skills: card.skills.map((row) => scorecardView(row, settings)),
  };
}

/** A page of an agent's rank history as the API shows it. */
export function rankHistoryView(
  agentId: string,
  page: Awaited<ReturnType<typeof agentRankHistory>>,
) {
  return {
    agent_id: agentId,
    window: page.window,
    skill: page.skill ?? null,
    history: page.history.map((row) => ({
      rank: row.rank,
      previous_rank: row.previousRank,
      score: row.score,
      recorded_at: row.recordedAt,
    })),
    next_cursor: page.nextCursor,
  };
}
