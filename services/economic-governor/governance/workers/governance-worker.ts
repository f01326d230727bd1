import type { Logger } from 'pino';
import type { Database } from '../../../platform/db.js';
import { inTransaction } from '../../../platform/transactions.js';
import { type LeaderWorker, tryLeadership } from '../../../platform/workers.js';
import {
  executeDueProposals,
  GOVERNANCE_BATCH,
  tallyDueProposals,
} from '../operations/tally-proposals.js';

/** One tally and execution run at a time across replicas. */
const GOVERNANCE_LOCK = 'aia:governance:tally';

async function runIn(tx: Database, timelockSeconds: number, logger?: Logger) {
  const tallied = await tallyDueProposals(tx, timelockSeconds, logger);
  const executed = await executeDueProposals(tx, logger);
  return { tallied, executed };
}

/**
 * One run now, in a transaction of its own, unless another replica leads: tallies closed
 * proposals, executes those due. Returns how many of each (0 and 0 when it did not lead).
 */
export async function runGovernanceOnce(
  sql: Database,
  timelockSeconds: number,
  logger?: Logger,
): Promise<{ tallied: number; executed: number }> {
  return inTransaction(sql, async (tx) =>
    (await tryLeadership(tx, GOVERNANCE_LOCK))
      ? runIn(tx, timelockSeconds, logger)
      : { tallied: 0, executed: 0 },
  );
}

/** The tally and execution as a leader worker: every `intervalMs`, at once after a full batch. */
export const governanceWorker = ({
  sql,
  logger,
  intervalMs,
  timelockSeconds,
}: {
  sql: Database;
  logger: Logger;
  intervalMs: number;
  timelockSeconds: number;
}): LeaderWorker => ({
  name: 'governance-tally',
  intervalMs,
  leader: { sql, lock: GOVERNANCE_LOCK },
  run: async (tx) => {
    const { tallied, executed } = await runIn(tx, timelockSeconds, logger);
    return tallied === GOVERNANCE_BATCH || executed === GOVERNANCE_BATCH ? 'more' : 'idle';
  },
});
