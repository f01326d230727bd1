import { pendingLineage, setLineage } from '../repository/variant-store.js';
import type { ImprovementContext } from './improvement-context.js';
import { lineageErrorOf } from './register-variant.js';

/** Pending lineages tried per pass. */
const LINEAGES_PER_PASS = 20;

/**
 * Tries again to record the lineages still pending (the DKG manager was unreachable, or an
 * agent was not mirrored there yet), oldest first; each one that goes through is `recorded`,
 * each that does not keeps its latest reason. Without a recorder (no DKG manager configured)
 * nothing is tried. Returns how many were recorded.
 */
export async function retryPendingLineage({
  sql,
  lineage,
}: Pick<ImprovementContext, 'sql' | 'lineage'>): Promise<number> {
  if (!lineage) return 0;
  let recorded = 0;
  for (const variant of await pendingLineage(sql, LINEAGES_PER_PASS)) {
    if (variant.variantAgentId === null) continue;
    try {
      await lineage.record({
        variantAgentId: variant.variantAgentId,
        parentAgentId: variant.parentAgentId,
      });
      await setLineage(sql, variant.id, 'recorded', null);
      recorded++;
    } catch (error) {
      await setLineage(sql, variant.id, 'pending', lineageErrorOf(error));
    }
  }
  return recorded;
}
