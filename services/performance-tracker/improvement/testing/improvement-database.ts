import type { Database } from '../../../platform/db.js';

/** The improvement tables, children first, so they can be emptied between tests. */
export async function emptyImprovementTables(sql: Database): Promise<void> {
  await sql`truncate tracker_evaluation_results, tracker_evaluations, tracker_variants`;
}
