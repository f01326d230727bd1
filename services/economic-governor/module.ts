import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { defineModule } from '../platform/module.js';
import { economicGovernor } from './definition.js';
import { createLedgerMetrics } from './metrics.js';
import { ensureGenesis } from './operations/genesis.js';
import { GroupCommit } from './operations/group-commit.js';
import { addAccountRoutes } from './routes/account-routes.js';
import { addLedgerRoutes } from './routes/ledger-routes.js';
import { addStakingRoutes } from './routes/staking-routes.js';
import { addTransferRoutes } from './routes/transfer-routes.js';
import { addTreasuryRoutes } from './routes/treasury-routes.js';
import { pendingExpiryWorker } from './workers/pending-expiry.js';

/**
 * The ledger: its API under `/v1`; genesis before the first request; in the background the
 * pending-transfer expiry and the sweep of old `Idempotency-Key` replies, each on one replica.
 */
export const economicGovernorModule = defineModule(
  economicGovernor,
  {
    title: 'AIA Economic Governor',
    description:
      'Double-entry ledger of AIA and AIA_GOV. Amounts are decimal strings. Scopes: ledger:read, ledger:write, treasury:admin.',
  },
  ({ config, stores: { db: sql }, registry, logger, router }) => {
    const metrics = createLedgerMetrics(registry);
    const context = {
      sql,
      metrics,
      groupCommit: new GroupCommit(sql, {
        // A third of the request's time to get into a transaction, the rest to commit and answer.
        maxWaitMs: Math.floor(config.REQUEST_TIMEOUT_MS / 3),
      }),
    };
    const routes = router();
    addLedgerRoutes(routes, sql);
    addAccountRoutes(routes, context);
    addTransferRoutes(routes, context);
    addStakingRoutes(routes, context, config.STAKING_LOCK_SECONDS);
    addTreasuryRoutes(routes, context);
    return {
      routes,
      start: () =>
        ensureGenesis(
          sql,
          { AIA: config.AIA_INITIAL_SUPPLY, AIA_GOV: config.AIA_GOV_INITIAL_SUPPLY },
          logger,
        ),
      workers: [
        pendingExpiryWorker({
          sql,
          logger,
          metrics,
          intervalMs: config.PENDING_EXPIRY_INTERVAL_MS,
        }),
        idempotencyKeySweeper({ sql, ttlHours: config.IDEMPOTENCY_KEY_TTL_HOURS }),
      ],
    };
  },
);
