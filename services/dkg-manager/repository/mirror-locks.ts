import type { Database } from '../../platform/db.js';

/**
 * Transaction-scoped advisory locks of the agent mirror and of evidence, always taken in this
 * order: the mirror's, then an agent's, then a strategy's. Applying registry records one at a
 * time makes a manager's arrival and its reports' pending MANAGES edges meet; a subject's lock
 * makes the copy of its evidence follow the totals it copies (a run's handler and the mirror,
 * or the copy worker, never copy one subject at once).
 */
export async function lockAgentMirror(tx: Database): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended('aia:dkg:agent-mirror', 0))`;
}

/** Serialises the writes and copies of one subject's evidence (an agent or a strategy). */
export async function lockEvidenceOf(tx: Database, subjectId: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`aia:dkg:evidence:${subjectId}`}, 0))`;
}
