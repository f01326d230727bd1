import type { Database } from '../../platform/db.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import type { RankingContext } from '../operations/ranked-queries.js';
import { dkgApp } from './dkg-app.js';

/**
 * The DKG manager's app (`dkgApp`) with DKG_ENHANCED_ENABLED as given, over a real database
 * with the PostgreSQL graph; `context` is what the evidence and mirror operations take.
 */
export function rankingApp(sql: Database, { enhanced = true }: { enhanced?: boolean } = {}) {
  const { app, call } = dkgApp(sql, { env: { DKG_ENHANCED_ENABLED: String(enhanced) } });
  const context: RankingContext = {
    graph: postgresGraphStore(sql),
    sql,
    enhancedRanking: enhanced,
  };
  return { app, call, context };
}
