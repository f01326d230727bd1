import { inTransaction } from '../../platform/transactions.js';
import type { LeaderWorker } from '../../platform/workers.js';
import { copyEvidence } from '../operations/copy-evidence.js';
import type { DkgContext } from '../operations/dkg-context.js';
import { graphBeside } from '../operations/graph-in-transaction.js';
import { subjectsToCopy } from '../repository/evidence-store.js';
import { lockEvidenceOf } from '../repository/mirror-locks.js';

export interface EvidenceCopyOptions {
  /** Pause between runs. Default 10 s. */
  readonly intervalMs?: number;
  /** A subject whose evidence found no edge is tried again after this long. Default 60 s. */
  readonly recheckSeconds?: number;
  /** Subjects per run. Default 100. */
  readonly batch?: number;
}

/**
 * Copies evidence the graph does not have onto its edges, on one replica: evidence whose edge
 * appeared since (a strategy's APPLIES_TO set through the API, a relation set again), or whose
 * copy failed after its totals committed (Neo4j unreachable then). Each subject in a transaction
 * of its own, under its evidence lock.
 */
export const evidenceCopyWorker = (
  context: DkgContext,
  { intervalMs = 10_000, recheckSeconds = 60, batch = 100 }: EvidenceCopyOptions = {},
): LeaderWorker => ({
  name: 'dkg-evidence-copy',
  intervalMs,
  leader: { sql: context.sql, lock: 'aia:dkg:evidence-copy' },
  run: async (_leaderTx, signal) => {
    const due = await subjectsToCopy(context.sql, { recheckSeconds, limit: batch });
    for (const { kind, subject_id: subjectId } of due) {
      if (signal.aborted) return 'idle';
      await inTransaction(context.sql, async (tx) => {
        await lockEvidenceOf(tx, subjectId);
        await copyEvidence(graphBeside(context, tx), tx, kind, subjectId);
      });
    }
    return due.length === batch ? 'more' : 'idle';
  },
});
