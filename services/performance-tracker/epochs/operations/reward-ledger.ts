import type { EconomicGovernorClient } from '../../../economic-governor/client.js';
import { parseAia } from '../domain/aia-units.js';

/** One reward of a distribution: an account and an AIA decimal string. */
export interface Reward {
  readonly account_id: string;
  readonly amount: string;
}

/**
 * What the tracker needs of the ledger: the reward pool's balance, and a reward distribution
 * (all or none, idempotent by its id). Errors are the service client's: `ServiceProblemError`
 * for an answer that refuses, `ServiceUnavailableError` for no answer.
 */
export interface RewardLedger {
  /** The AIA reward pool's available balance (balance minus pending debits), in units. */
  poolBalance(): Promise<bigint>;
  /** Pays `rewards` from the AIA reward pool as distribution `id`; paying it again pays nothing. */
  distribute(distribution: {
    readonly id: string;
    readonly memo: string;
    readonly rewards: readonly Reward[];
  }): Promise<void>;
}

/**
 * The ledger through the economic governor's client, with the tracker's service identity
 * (`ledger:read` to read the pool, `rewards:distribute` to pay from it). The distribution id is also
 * the Idempotency-Key, so a resend after a lost answer replays the ledger's first answer.
 */
export function governorRewardLedger(
  governor: Pick<EconomicGovernorClient, 'distributeRewards' | 'ledgers' | 'account'>,
): RewardLedger {
  return {
    async poolBalance() {
      const aia = (await governor.ledgers()).find((ledger) => ledger.code === 'AIA');
      const pool = aia?.system_accounts.reward_pool;
      if (!pool) throw new Error('the ledger lists no AIA reward pool');
      return parseAia((await governor.account(pool)).available, 'reward_pool.available');
    },
    async distribute({ id, memo, rewards }) {
      await governor.distributeRewards(
        { id, ledger: 'AIA', memo, rewards: [...rewards] },
        { idempotencyKey: `epoch-distribution-${id}` },
      );
    },
  };
}
