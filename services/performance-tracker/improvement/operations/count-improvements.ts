import type { Counter } from 'prom-client';
import type { Database } from '../../../platform/db.js';
import { FINISHED_OUTCOMES } from '../domain/variant.js';
import { finishedCounts } from '../repository/evaluation-store.js';

/**
 * Starts `agent_improvements_total{outcome}` of this process at what the stored evaluations say
 * (a restarted tracker does not start from zero, and counts no evaluation twice: from here on
 * it counts only the evaluations its own workers end). Call once per process, before its worker
 * ends any evaluation.
 */
export async function seedImprovementCounts(
  sql: Database,
  improvements: Counter<'outcome'>,
): Promise<void> {
  const counts = await finishedCounts(sql);
  for (const outcome of FINISHED_OUTCOMES)
    if (counts[outcome] > 0) improvements.inc({ outcome }, counts[outcome]);
}
