import type { Database } from '../../../platform/db.js';
import { parseAmount } from '../../domain/amounts.js';
import { derivedId } from '../../domain/derived-id.js';
import { type LedgerCode, scaleOf, systemAccountId } from '../../domain/ledgers.js';
import type { Caller } from '../../operations/apply-operation.js';
import { TransferRefusedError } from '../../operations/transfer-refused.js';
import { applyTransfer } from '../../operations/transfers.js';
import type { ProposalRow } from '../repository/proposal-store.js';

/** Who the audit log names for a governance execution; it may debit the treasury. */
export const GOVERNANCE_ACTOR: Caller = { subject: 'system:governance', admin: true };

/** The id of the treasury transfer a proposal executes: the same every time it is tried. */
export const executionTransferId = (proposalId: string): string => derivedId(proposalId, 0);

/**
 * Pays a passed treasury_transfer proposal from the treasury, as an audited ledger operation
 * (`governance.execute`) whose transfer id is derived from the proposal: run again (a second
 * worker, a crash before the proposal was marked executed), it finds the same transfer and pays
 * nothing more. A refusal by the ledger (the treasury short of funds, say) is returned.
 */
export async function payTreasuryTransfer(
  tx: Database,
  proposal: Pick<ProposalRow, 'id' | 'action'>,
): Promise<{ transferId: string } | { refusal: string }> {
  const action = proposal.action ?? {};
  const ledger = action.ledger as LedgerCode;
  try {
    const { transfer } = await applyTransfer(
      tx,
      GOVERNANCE_ACTOR,
      {
        type: 'create',
        id: executionTransferId(proposal.id),
        kind: 'transfer',
        ledger,
        debitAccountId: systemAccountId(ledger, 'treasury'),
        creditAccountId: action.to_account_id as string,
        amount: parseAmount(action.amount as string, scaleOf(ledger)),
        memo: `governance proposal ${proposal.id}`,
      },
      'governance.execute',
    );
    return { transferId: transfer.id };
  } catch (error) {
    if (error instanceof TransferRefusedError)
      return { refusal: `${error.code}: ${error.message}` };
    throw error;
  }
}
