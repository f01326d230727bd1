import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { defineModule } from '../platform/module.js';
import { economicGovernor } from './definition.js';
import { addGovernanceRoutes } from './governance/routes/governance-routes.js';
import { PRIVATE_VOTES_PATH } from './governance/routes/vote-routes.js';
import { governanceWorker } from './governance/workers/governance-worker.js';
import { ownershipArtifacts } from './governance/zk/artifacts.js';
import { readVerificationKey } from './governance/zk/verify-vote.js';
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
 * With GOVERNANCE_ENABLED, governance too: `/v1/governance` and the tally and execution worker.
 */
export const economicGovernorModule = defineModule(
  economicGovernor,
  {
    title: 'AIA Economic Governor',
    description:
      'Double-entry ledger of AIA and AIA_GOV, and governance by AIA_GOV (proposals, private and signed votes, treasury execution). Amounts are decimal strings. Scopes: ledger:read, ledger:write, treasury:admin, governance:read, governance:write.',
  },
  ({ config, stores: { db: sql, reads }, registry, logger, router }) => {
    const metrics = createLedgerMetrics(registry);
    const context = {
      sql,
      reads,
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
    const governance = config.GOVERNANCE_ENABLED;
    if (governance) {
      addGovernanceRoutes(routes, {
        ...context,
        proposalThreshold: BigInt(config.GOVERNANCE_PROPOSAL_THRESHOLD),
        verificationKeys: {
          vote: readVerificationKey(),
          ownership: readVerificationKey(ownershipArtifacts.verificationKey),
        },
      });
    }
    return {
      routes,
      // A private vote's proof is its credential: its POST takes no token, which would name the
      // voter (the gateway's audit and every log would link them to the vote).
      ...(governance
        ? {
            unauthenticatedApiPrefixes: [{ prefix: `/v1${PRIVATE_VOTES_PATH}`, methods: ['POST'] }],
          }
        : {}),
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
        ...(governance
          ? [
              governanceWorker({
                sql,
                logger,
                intervalMs: config.GOVERNANCE_TALLY_INTERVAL_MS,
                timelockSeconds: config.GOVERNANCE_TIMELOCK_SECONDS,
              }),
            ]
          : []),
      ],
    };
  },
);
