import type { Database } from '../../../platform/db.js';
import type { Caller } from '../../operations/apply-operation.js';
import { GovernanceRefusal } from '../domain/governance-refusal.js';
import { upsertVoter, type VoterRow } from '../repository/voter-store.js';
import { SCALAR_FIELD } from '../zk/field.js';
import { accountActedOn } from './acting-on-account.js';

export interface VoterRegistration {
  readonly accountId: string;
  /** The voter's identity Poseidon(secret), computed by the voter; the secret never reaches the server. */
  readonly commitment: bigint;
}

/**
 * Registers (or replaces) the one identity of an AIA_GOV account. Refused: one outside the scalar
 * field or held by another account. It carries no weight: each proposal's snapshot builds the
 * account's leaf from the identity and the AIA_GOV staked when the proposal opens.
 */
export async function registerVoter(
  tx: Database,
  caller: Caller,
  { accountId, commitment }: VoterRegistration,
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
  const stored = await upsertVoter(tx, {
    accountId,
    commitment: commitment.toString(),
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
