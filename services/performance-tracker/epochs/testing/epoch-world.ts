import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { useTestDatabase } from '../../../../test/harness/databases.js';
import { testServiceKeys, testToken } from '../../../../test/harness/jwt.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../../test/service-clients/governor-server.js';
import { createServiceClients } from '../../../clients.js';
import {
  type EconomicGovernorClient,
  economicGovernorClient,
} from '../../../economic-governor/client.js';
import type { AgentRunRecord } from '../../../events/schemas/agent-runs.js';
import { createDatabase, type Database } from '../../../platform/db.js';
import { migrateService } from '../../../platform/migrations.js';
import { serviceTransport } from '../../../platform/service-client/index.js';
import { ingestRun } from '../../operations/ingest-run.js';
import { TEST_WINDOWS, TRACKER_TABLES } from '../../testing/run-records.js';
import { epochSpan } from '../domain/epoch-clock.js';
import type { AgentAccounts } from '../operations/agent-accounts.js';
import type { EpochContext } from '../operations/epoch-context.js';
import { governorRewardLedger } from '../operations/reward-ledger.js';
import { epochSettingsOf } from '../settings.js';

/** The epoch most tests pay: one-hour epochs, this one covers 2026-06-02T10:00Z to 11:00Z. */
export const TEST_HOURS = 1;
export const TEST_EPOCH = 3_658;

/** `minutes` into epoch `epoch` (one-hour epochs), as an ISO time. */
export const inEpoch = (epoch: number, minutes: number): string =>
  new Date(epochSpan(epoch, TEST_HOURS).startsAt.getTime() + minutes * 60_000).toISOString();

/** An instant after `epoch` has ended and settled. */
export const afterEpoch = (epoch: number): Date =>
  new Date(epochSpan(epoch, TEST_HOURS).endsAt.getTime() + 11 * 60_000);

/**
 * For a test file: a migrated tracker database, a real economic governor over HTTP on a database
 * of its own, a treasurer's client (funds the reward pool, opens agents' accounts, reads the
 * audit log) and the tracker's own governor client (its service identity and catalog grants).
 */
export function useEpochWorld(label: string) {
  const trackerDatabase = useTestDatabase(`epochs_${label}`);
  const ledgerDatabase = useTestDatabase(`epochs_${label}_ledger`);
  const tracker = {} as { sql: Database };
  const state = {} as {
    governor: GovernorServer;
    treasurer: EconomicGovernorClient;
    trackerGovernor: EconomicGovernorClient;
    pool: string;
  };
  /** agent id → its ledger account, as the orchestrator would answer. */
  const accountsByAgent = new Map<string, string>();

  beforeAll(async () => {
    tracker.sql = createDatabase({
      url: trackerDatabase.url,
      applicationName: `epochs_${label}`,
      max: 8,
    });
    await migrateService(tracker.sql, 'performance-tracker');
    state.governor = await startGovernorServer(ledgerDatabase.url);
    state.treasurer = economicGovernorClient(
      serviceTransport({
        service: 'economic-governor',
        baseUrl: state.governor.url,
        scopes: [],
        tokens: () =>
          testToken({ subject: 'treasurer', scope: 'ledger:read ledger:write treasury:admin' }),
      }),
    );
    state.trackerGovernor = createServiceClients({
      service: 'performance-tracker',
      config: {
        ECONOMIC_GOVERNOR_URL: state.governor.url,
        SERVICE_SIGNING_KEY: testServiceKeys['performance-tracker'],
        JWT_ISSUER: 'aia-platform',
      },
    })['economic-governor'];
    const [aia] = (await state.treasurer.ledgers()).filter((ledger) => ledger.code === 'AIA');
    state.pool = aia?.system_accounts.reward_pool as string;
  }, 60_000);
  afterAll(async () => {
    await state.governor?.stop();
    await tracker.sql?.end();
  });

  const accounts: AgentAccounts = {
    accountOf: async (agentId) => accountsByAgent.get(agentId) ?? null,
  };

  return {
    get sql(): Database {
      return tracker.sql;
    },
    /** The tracker database's URL, for a process of its own. */
    get databaseUrl(): string {
      return trackerDatabase.url;
    },
    get governor() {
      return state.governor;
    },
    get treasurer() {
      return state.treasurer;
    },
    get poolId() {
      return state.pool;
    },
    /** An agent with a ledger account of its own (as the orchestrator registers one). */
    async agent(): Promise<string> {
      const id = randomUUID();
      const account = await state.treasurer.openAccount({
        ledger: 'AIA',
        owner: 'service:agent-orchestrator',
        memo: `agent ${id}`,
      });
      accountsByAgent.set(id, account.id);
      return id;
    },
    accountOf: (agentId: string) => accountsByAgent.get(agentId) as string,
    /** An agent the orchestrator does not know: no account. */
    stranger: () => randomUUID(),
    /** Moves `amount` AIA from the treasury into the reward pool. */
    async fundPool(amount: string) {
      const [aia] = (await state.treasurer.ledgers()).filter((ledger) => ledger.code === 'AIA');
      await state.treasurer.transfer({
        ledger: 'AIA',
        debit_account_id: aia?.system_accounts.treasury as string,
        credit_account_id: state.pool,
        amount,
      });
    },
    /** Moves the whole reward pool back to the treasury. */
    async drainPool() {
      const available = (await state.treasurer.account(state.pool)).available;
      if (available === '0') return;
      const [aia] = (await state.treasurer.ledgers()).filter((ledger) => ledger.code === 'AIA');
      await state.treasurer.transfer({
        ledger: 'AIA',
        debit_account_id: state.pool,
        credit_account_id: aia?.system_accounts.treasury as string,
        amount: available,
      });
    },
    balanceOf: async (accountId: string) => (await state.treasurer.account(accountId)).balance,
    /** Whether both ledgers' debits equal their credits (the ledger's invariant check). */
    booksBalance: async () => (await state.treasurer.ledgers()).every((ledger) => ledger.balanced),
    /** The ledger's audit entries of distribution `id`. */
    async distributionsOf(id: string) {
      const token = await testToken({ subject: 'treasurer', scope: 'treasury:admin' });
      const response = await fetch(`${state.governor.url}/v1/audit?limit=500`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { entries } = (await response.json()) as {
        entries: { action: string; details: Record<string, unknown> }[];
      };
      return entries.filter(
        (entry) => entry.action === 'reward.distribute' && entry.details.distribution_id === id,
      );
    },
    /** Takes `records` in through the consumer's operation, each in its own transaction. */
    async ingest(records: readonly AgentRunRecord[]) {
      for (const record of records)
        await tracker.sql.begin((tx) =>
          ingestRun({ sql: tracker.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
            id: randomUUID(),
            record,
          }),
        );
    },
    /** Empties the tracker's tables (runs, scorecards, epochs). */
    reset: () =>
      tracker.sql.unsafe(
        `truncate ${[...TRACKER_TABLES, 'tracker_epochs', 'tracker_epoch_payouts'].join(', ')}`,
      ),
    /** The epoch context as the module builds it, the tracker's identity toward the ledger. */
    context(
      fields: Partial<EpochContext> & {
        budget?: string;
        floor?: number;
        cap?: string;
        at?: Date;
      } = {},
    ): EpochContext {
      const { budget = '25', floor = 0, cap = '1', at, ...rest } = fields;
      return {
        sql: tracker.sql,
        settings: epochSettingsOf({
          EPOCH_HOURS: TEST_HOURS,
          EPOCH_REWARD_BUDGET_AIA: budget,
          EPOCH_SCORE_FLOOR: floor,
          EPOCH_CAP_SHARE: cap,
        }),
        ledger: governorRewardLedger(state.trackerGovernor),
        accounts,
        ...(at ? { now: () => at } : {}),
        ...rest,
      };
    },
  };
}
