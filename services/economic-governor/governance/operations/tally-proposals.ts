import type { Logger } from 'pino';
import type { Database } from '../../../platform/db.js';
import { tallyVotes } from '../domain/tally.js';
import { setParameter } from '../repository/parameter-store.js';
import {
  dueForExecution,
  dueForTally,
  recordExecution,
  recordTally,
} from '../repository/proposal-store.js';
import { countedVotes } from '../repository/vote-store.js';
import { payTreasuryTransfer } from './execute-proposal.js';

/** Proposals tallied, or executed, per transaction. */
export const GOVERNANCE_BATCH = 100;

/**
 * Tallies every proposal whose voting period is over (locked, so a vote still being counted is
 * waited for): weight for, against and abstaining; passed with the quorum met and more for than
 * against. A passed parameter change is recorded at once; a passed treasury transfer waits
 * `timelockSeconds` after the close. Each proposal is tallied once (`outcome is null`).
 */
export async function tallyDueProposals(
  tx: Database,
  timelockSeconds: number,
  logger?: Logger,
): Promise<number> {
  const due = await dueForTally(tx, GOVERNANCE_BATCH);
  for (const proposal of due) {
    const tally = tallyVotes(await countedVotes(tx, proposal.id), BigInt(proposal.quorum));
    const outcome = tally.passed ? 'passed' : 'rejected';
    let execution: Parameters<typeof recordTally>[3];
    if (tally.passed && proposal.kind === 'treasury_transfer') {
      execution = { executesAfterSeconds: timelockSeconds };
    } else if (tally.passed && proposal.kind === 'parameter_change' && proposal.action) {
      await setParameter(tx, {
        name: proposal.action.name as string,
        value: proposal.action.value as string,
        proposalId: proposal.id,
      });
      execution = { executedNow: true };
    }
    await recordTally(tx, proposal.id, { outcome, ...tally }, execution);
    logger?.info(
      { proposal: proposal.id, outcome, for: `${tally.for}`, against: `${tally.against}` },
      'proposal tallied',
    );
  }
  return due.length;
}

/** Executes every passed treasury transfer whose timelock is over, exactly once each. */
export async function executeDueProposals(tx: Database, logger?: Logger): Promise<number> {
  const due = await dueForExecution(tx, GOVERNANCE_BATCH);
  for (const proposal of due) {
    const result = await payTreasuryTransfer(tx, proposal);
    await recordExecution(tx, proposal.id, result);
    if ('refusal' in result) {
      logger?.error({ proposal: proposal.id, refusal: result.refusal }, 'proposal not executed');
    } else {
      logger?.info({ proposal: proposal.id, transfer: result.transferId }, 'proposal executed');
    }
  }
  return due.length;
}
