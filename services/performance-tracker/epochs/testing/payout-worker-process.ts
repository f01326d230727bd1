import pino from 'pino';
import { Registry } from 'prom-client';
import { createServiceClients } from '../../../clients.js';
import { createDatabase } from '../../../platform/db.js';
import { createWorkers } from '../../../platform/workers.js';
import type { AgentAccounts } from '../operations/agent-accounts.js';
import { governorRewardLedger, type RewardLedger } from '../operations/reward-ledger.js';
import { epochSettingsOf } from '../settings.js';
import { epochPayout } from '../workers/epoch-payout.js';

/**
 * The epoch payout worker alone in a real process, for the crash test: the kit's leader worker
 * over DATABASE_URL (the tracker's), paying through ECONOMIC_GOVERNOR_URL with the tracker's
 * SERVICE_SIGNING_KEY. AGENT_ACCOUNTS (JSON, agent → account) stands for the orchestrator;
 * NOW fixes the clock. With STALL_AFTER_DISTRIBUTION set, it prints `distributed` once the
 * ledger answered a distribution and then never returns from that call: killed there, it dies
 * between the ledger's payment and the epoch's status update. Prints `ready` once running.
 */
const env = process.env;
const sql = createDatabase({
  url: env.DATABASE_URL as string,
  applicationName: 'epoch-payer',
  max: 2,
});
const governor = createServiceClients({
  service: 'performance-tracker',
  config: {
    ECONOMIC_GOVERNOR_URL: env.ECONOMIC_GOVERNOR_URL,
    SERVICE_SIGNING_KEY: env.SERVICE_SIGNING_KEY,
    JWT_ISSUER: 'aia-platform',
  },
})['economic-governor'];
const real = governorRewardLedger(governor);
const ledger: RewardLedger = env.STALL_AFTER_DISTRIBUTION
  ? {
      poolBalance: () => real.poolBalance(),
      async distribute(distribution) {
        await real.distribute(distribution);
        process.stdout.write('distributed\n');
        await new Promise(() => {});
      },
    }
  : real;
const known = new Map(
  Object.entries(JSON.parse(env.AGENT_ACCOUNTS ?? '{}') as Record<string, string>),
);
const accounts: AgentAccounts = { accountOf: async (agentId) => known.get(agentId) ?? null };
const now = new Date(env.NOW as string);

const workers = createWorkers({ logger: pino({ level: 'silent' }), registry: new Registry() });
workers.add(
  epochPayout({
    sql,
    settings: epochSettingsOf({
      EPOCH_HOURS: Number(env.EPOCH_HOURS),
      EPOCH_REWARD_BUDGET_AIA: env.EPOCH_REWARD_BUDGET_AIA as string,
      EPOCH_SCORE_FLOOR: 0,
      EPOCH_CAP_SHARE: '1',
    }),
    ledger,
    accounts,
    now: () => now,
    intervalMs: 50,
  }),
);
workers.start();
process.stdout.write('ready\n');
