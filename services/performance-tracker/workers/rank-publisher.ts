import type { Database } from '../../platform/db.js';
import type { LeaderWorker } from '../../platform/workers.js';
import { publishRanks, RANKINGS_PER_RUN } from '../operations/publish-ranks.js';

/**
 * Recomputes changed rankings on one replica every `intervalMs` (default 2 s): rank history and
 * the published rankings follow the scores within about that long. Runs again at once while a
 * full batch was waiting.
 */
export const rankPublisher = ({
  sql,
  intervalMs = 2_000,
}: {
  sql: Database;
  intervalMs?: number;
}): LeaderWorker => ({
  name: 'rank-publisher',
  intervalMs,
  leader: { sql, lock: 'aia:performance-tracker:rank-publisher' },
  run: async (tx) => ((await publishRanks(tx)) >= RANKINGS_PER_RUN ? 'more' : 'idle'),
});
