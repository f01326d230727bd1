import type { Database } from '../platform/db.js';
import { createOpenApiApp } from '../platform/openapi.js';
import type { ServiceDeps, StartServiceOptions } from '../platform/runtime.js';
import type { EconomicGovernorConfig } from './definition.js';
import { ensureGenesis } from './genesis.js';
import { GroupCommit } from './group-commit.js';
import { ledgerMetricsOf } from './ledger-metrics.js';
import { startPendingExpiry } from './pending-expiry.js';
import { addAccountRoutes } from './routes/account-routes.js';
import { addLedgerRoutes } from './routes/ledger-routes.js';
import { addStakingRoutes } from './routes/staking-routes.js';
import { addTransferRoutes } from './routes/transfer-routes.js';
import { addTreasuryRoutes } from './routes/treasury-routes.js';

const configOf = (deps: ServiceDeps) => deps.config as EconomicGovernorConfig;

function databaseOf(deps: ServiceDeps): Database {
  if (!deps.db) throw new Error('the economic governor needs DATABASE_URL');
  return deps.db;
}

/** The ledger API under `/v1`, with its OpenAPI document at `/v1/openapi.json`. */
export function economicGovernorRoutes(deps: ServiceDeps) {
  const sql = databaseOf(deps);
  const context = {
    sql,
    metrics: ledgerMetricsOf(deps.registry),
    groupCommit: new GroupCommit(sql, {
      // A third of the request's time to get into a transaction, the rest to commit and answer.
      maxWaitMs: Math.floor((configOf(deps).REQUEST_TIMEOUT_MS ?? 30_000) / 3),
    }),
  };
  const app = createOpenApiApp();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  addLedgerRoutes(app, sql);
  addAccountRoutes(app, context);
  addTransferRoutes(app, context);
  addStakingRoutes(app, context, configOf(deps).STAKING_LOCK_SECONDS);
  addTreasuryRoutes(app, context);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'AIA Economic Governor',
      version: '1',
      description:
        'Double-entry ledger of AIA and AIA_GOV. Amounts are decimal strings. Scopes: ledger:read, ledger:write, treasury:admin.',
    },
    servers: [{ url: '/v1' }],
  });
  return app;
}

/** Genesis before the first request; then the pending-transfer expiry runs in the background. */
export const economicGovernor: Pick<StartServiceOptions, 'routes' | 'start'> = {
  routes: economicGovernorRoutes,
  async start(deps) {
    const sql = databaseOf(deps);
    const config = configOf(deps);
    await ensureGenesis(
      sql,
      { AIA: config.AIA_INITIAL_SUPPLY, AIA_GOV: config.AIA_GOV_INITIAL_SUPPLY },
      deps.logger,
    );
    return startPendingExpiry({
      sql,
      logger: deps.logger,
      metrics: ledgerMetricsOf(deps.registry),
      intervalMs: config.PENDING_EXPIRY_INTERVAL_MS,
      idempotencyKeyTtlHours: config.IDEMPOTENCY_KEY_TTL_HOURS,
    });
  },
};
