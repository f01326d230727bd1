import { defineModule } from '../platform/module.js';
import { ventureDiscovery } from './definition.js';
import { discoveryMetrics } from './metrics.js';
import {
  ASSIST_MAX_OPPORTUNITIES,
  ASSIST_MAX_OUTPUT_TOKENS,
  ASSIST_MODEL_CLASS,
} from './operations/assist-opportunities.js';
import type { DiscoveryContext } from './operations/discovery-context.js';
import { readCapabilities } from './operations/dkg-capabilities.js';
import { startEventSources } from './operations/event-sources.js';
import { seedSampleSources } from './operations/sample-sources.js';
import { addReportRoutes, createReportStore, publishReports } from './reports/index.js';
import { addOpportunityRoutes } from './routes/opportunity-routes.js';
import { addRunRoutes } from './routes/run-routes.js';
import { addSourceRoutes } from './routes/source-routes.js';
import { runExecutor } from './workers/run-executor.js';
import { runScheduler } from './workers/run-scheduler.js';

/**
 * The Venture Discovery Engine: sources (`/v1/sources`), durable discovery runs (`/v1/runs`,
 * progress on `aia.ventures.runs.v1`), scored and explained opportunities with feedback
 * (`/v1/opportunities`, the best on `aia.ventures.opportunities.v1`). Scopes ventures:read and
 * ventures:write. With VENTURE_DISCOVERY_ENABLED off no run is scheduled or carried out: the
 * API serves what is stored and queues runs for later. With DISCOVERY_LLM_ASSIST on, a model of
 * the `fast` class adds summaries, entities and themes (never scores) through the LLM layer.
 */
export const ventureDiscoveryModule = defineModule(
  ventureDiscovery,
  {
    title: 'AIA Venture Discovery Engine',
    description:
      'Signals from feeds, JSON, CSV and uploads, clustered into themes and scored with explainable components (signal strength, growth, novelty, competition density, capability fit, confidence); feedback moves the weights. Scopes: ventures:read, ventures:write.',
  },
  ({
    config,
    stores: { db: sql, objectStorage },
    clients,
    events,
    llm,
    logger,
    registry,
    router,
  }) => {
    // Reports go to the service's bucket, else (locally) to files: see reports/create-report-store.ts.
    const reporting = {
      enabled: config.STRUCTURED_REPORTS_ENABLED,
      store: createReportStore(objectStorage, config.DISCOVERY_REPORTS_DIRECTORY).store,
    };
    const context: DiscoveryContext = {
      sql,
      logger,
      metrics: discoveryMetrics(registry),
      settings: {
        weights: config.DISCOVERY_WEIGHTS,
        windowDays: config.DISCOVERY_WINDOW_DAYS,
        publishThreshold: config.DISCOVERY_PUBLISH_THRESHOLD,
        leaseMs: config.DISCOVERY_RUN_LEASE_SECONDS * 1_000,
        maxSignals: config.DISCOVERY_MAX_SIGNALS,
        outbound: { allowPrivate: config.DISCOVERY_SOURCES_ALLOW_PRIVATE_ADDRESSES },
      },
      publishReports: (input) => publishReports(reporting, input),
      // Once per run; a DKG manager that does not answer leaves capability fit neutral.
      capabilities: () => readCapabilities(clients['dkg-manager']),
      ...(config.DISCOVERY_LLM_ASSIST && llm
        ? {
            assist: {
              llm,
              modelClass: ASSIST_MODEL_CLASS,
              timeoutMs: config.DISCOVERY_LLM_TIMEOUT_MS,
              maxCostAia: config.DISCOVERY_LLM_MAX_COST_AIA,
              maxOutputTokens: ASSIST_MAX_OUTPUT_TOKENS,
              maxOpportunities: ASSIST_MAX_OPPORTUNITIES,
            },
          }
        : {}),
    };
    const routes = router();
    addSourceRoutes(routes, context);
    addRunRoutes(routes, context);
    addOpportunityRoutes(routes, context);
    addReportRoutes(routes, reporting);
    const samples = config.DISCOVERY_SAMPLE_SOURCES ?? config.ENVIRONMENT === 'development';
    const enabled = config.VENTURE_DISCOVERY_ENABLED;
    return {
      routes,
      // After the migrations: the sample sources, and the bus topics `events` sources read.
      start:
        samples || (enabled && events)
          ? async () => {
              if (samples) {
                const added = await seedSampleSources(context);
                if (added > 0) logger.info({ added }, 'sample sources added');
              }
              if (enabled && events) await startEventSources(events, context);
            }
          : undefined,
      workers: enabled ? [runExecutor(context), runScheduler(context)] : [],
    };
  },
);
