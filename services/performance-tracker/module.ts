import { defineModule } from '../platform/module.js';
import { performanceTracker } from './definition.js';
import { createEpochMetrics } from './epochs/epoch-metrics.js';
import {
  orchestratorAgentAccounts,
  rememberedAgentAccounts,
} from './epochs/operations/agent-accounts.js';
import type { EpochContext } from './epochs/operations/epoch-context.js';
import { orchestratorTransport } from './epochs/operations/orchestrator-transport.js';
import { governorRewardLedger } from './epochs/operations/reward-ledger.js';
import { addEpochRoutes } from './epochs/routes/epoch-routes.js';
import { epochSettingsOf } from './epochs/settings.js';
import { epochPayout } from './epochs/workers/epoch-payout.js';
import { measuredImprovement } from './improvement/improvement-wiring.js';
import { orchestratorBenchmarkRunner } from './improvement/runners/orchestrator-runner.js';
import { createTrackerMetrics } from './metrics.js';
import { startTrackerConsumers } from './operations/tracker-consumers.js';
import type { TrackerContext } from './operations/tracker-context.js';
import { addPerformanceRoutes } from './routes/performance-routes.js';
import { rankPublisher } from './workers/rank-publisher.js';
import { scorecardRefresh } from './workers/scorecard-refresh.js';

/**
 * The performance tracker: scorecards from `aia.agents.runs.v1`, rankings published on
 * `aia.performance.rankings.v1`, and the read API under `/v1` (scope `performance:read`). With
 * PERFORMANCE_TRACKING_ENABLED off it takes no runs in and ranks nothing: the API serves what
 * is stored. Without an event bus (locally without REDIS_URL) no runs arrive.
 */
export const performanceTrackerModule = defineModule(
  performanceTracker,
  {
    title: 'AIA Performance Tracker',
    description:
      'Agent scorecards (completion rate with its Wilson lower bound, quality, latency percentiles, cost per success) over a sliding and a decayed window, leaderboards and rank history. Scope: performance:read.',
  },
  ({ config, stores: { db: sql, reads }, events, registry, router, clients, logger }) => {
    const context: TrackerContext = {
      sql,
      reads,
      windows: {
        slidingDays: config.SCORECARD_WINDOW_DAYS,
        halfLifeHours: config.SCORECARD_HALF_LIFE_HOURS,
      },
      metrics: createTrackerMetrics(registry),
    };
    const routes = router();
    addPerformanceRoutes(routes, context);
    const agents = rememberedAgentAccounts(
      orchestratorAgentAccounts(orchestratorTransport(config, logger)),
    );
    const improvement = measuredImprovement({
      sql,
      registry,
      runner: orchestratorBenchmarkRunner(config, logger),
      agents,
      dkg: clients['dkg-manager'],
      logger,
    });
    improvement.addRoutes(routes);
    const epochs: EpochContext = {
      sql,
      settings: epochSettingsOf(config),
      ledger: governorRewardLedger(clients['economic-governor']),
      accounts: agents,
      metrics: createEpochMetrics(registry),
    };
    addEpochRoutes(routes, epochs);
    const tracking = config.PERFORMANCE_TRACKING_ENABLED;
    return {
      routes,
      // In start, before the service listens: the tables come with the migrations, applied
      // before it, and /metrics' first scrape already shows the stored evaluations (counted from
      // zero after it was scraped, they would read as a burst that trips the improvement alert).
      start: tracking
        ? async () => {
            await improvement.seedCounts();
            if (events) await startTrackerConsumers(events, context);
          }
        : undefined,
      workers: tracking
        ? [
            rankPublisher({ sql, windows: context.windows }),
            scorecardRefresh({ sql, windows: context.windows }),
            improvement.worker(),
            epochPayout(epochs),
          ]
        : [],
    };
  },
);
