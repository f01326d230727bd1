import type { Database } from '../../../platform/db.js';
import type { Caller } from '../../operations/apply-operation.js';
import { stakedBalance } from '../../repository/stake-store.js';
import { GovernanceRefusal } from '../domain/governance-refusal.js';
import { wholeAiaGov } from '../domain/whole-tokens.js';
import { upsertVoter, type VoterRow } from '../repository/voter-store.js';
import { SCALAR_FIELD } from '../zk/field.js';
import { accountActedOn } from './acting-on-account.js';

export interface VoterRegistration {
  readonly accountId: string;
  /** Poseidon(secret, weight), computed by the voter; the secret never reaches the server. */
  readonly commitment: bigint;
  /** Whole AIA_GOV the leaf carries: at most what the account has staked. */
  readonly weight: bigint;
}

/**
 * Registers (or replaces) the one commitment of an AIA_GOV account. Refused: a commitment outside
 * the scalar field or held by another account, a weight above the account's staked AIA_GOV.
 * The weight is checked again when a proposal opens: a leaf whose account has since unstaked
 * below it is left out of that snapshot.
 */
export async function registerVoter(
  tx: Database,
  caller: Caller,
  { accountId, commitment, weight }: VoterRegistration,
): Promise<{ voter: VoterRow; replaced: boolean }> {
  await accountActedOn(tx, caller, { id: accountId, field: 'account_id', ledger: 'AIA_GOV' });
  if (commitment <= 0n || commitment >= SCALAR_FIELD) {
    throw new GovernanceRefusal(
      422,
      'commitment_out_of_field',
      'commitment',
      'must be a non-zero element of the BN254 scalar field (below 21888242871839275222246405745257275088548364400416034343698204186575808495617)',
    );
  }
  const staked = wholeAiaGov(await stakedBalance(tx, accountId, 'AIA_GOV'));
  if (weight > staked) {
    throw new GovernanceRefusal(
      422,
      'weight_above_stake',
      'weight',
      `is above the ${staked} whole AIA_GOV account ${accountId} has staked`,
    );
  }
  const stored = await upsertVoter(tx, {
    accountId,
    commitment: commitment.toString(),
    weight,
    registeredBy: caller.subject,
  });
  if (!stored) {
    throw new GovernanceRefusal(
      409,
      'commitment_in_use',
      'commitment',
      'is registered by another account: every voter needs a commitment of their own',
    );
  }
  return { voter: stored.row, replaced: stored.replaced };
}
