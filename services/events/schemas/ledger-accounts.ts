import { z } from 'zod';
import { decimal, timestamp, uuid } from './fields.js';

/**
 * `aia.ledger.accounts.v1` (compacted, keyed by account id): the latest balances of an account.
 * First draft until the economic governor publishes it; later versions may only add optional
 * fields.
 */
export const ledgerAccountRecord = z.strictObject({
  account_id: uuid,
  ledger: z.enum(['AIA', 'AIA_GOV']),
  kind: z.enum(['issuance', 'treasury', 'reward_pool', 'staking', 'fees', 'user', 'operating']),
  owner: z.string().min(1).max(256),
  debits_pending: decimal,
  debits_posted: decimal,
  credits_pending: decimal,
  credits_posted: decimal,
  updated_at: timestamp,
});

export type LedgerAccountRecord = z.infer<typeof ledgerAccountRecord>;
