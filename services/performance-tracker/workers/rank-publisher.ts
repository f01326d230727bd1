import type { Database } from '../../platform/db.js';
import type { LeaderWorker } from '../../platform/workers.js';
import type { WindowSettings } from '../domain/windows.js';
import { publishRanks, RANKINGS_PER_RUN } from '../operations/publish-ranks.js';

/**
 * Recomputes changed rankings, and the scorecards of their skills, on one replica every
 * `intervalMs` (default 2 s): skill scorecards, rank history and the published rankings follow
 * the runs within about that long. Runs again at once while a full batch was waiting.
 */
export const rankPublisher = ({
  sql,
  windows,
  intervalMs = 2_000,
}: {
  sql: Database;
  windows: WindowSettings;
  intervalMs?: number;
}): LeaderWorker => ({
  name: 'rank-publisher',
  intervalMs,
  leader: { sql, lock: 'aia:performance-tracker:rank-publisher' },
  run: async (tx) => ((await publishRanks(tx, windows)) >= RANKINGS_PER_RUN ? 'more' : 'idle'),
});
