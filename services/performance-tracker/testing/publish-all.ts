import type { Database } from '../../platform/db.js';
import type { WindowSettings } from '../domain/windows.js';
import { publishRanks, RANKINGS_PER_RUN } from '../operations/publish-ranks.js';

/**
 * Runs the rank publisher's passes until no changed ranking is left, as its worker would within
 * a few seconds: the skills' scorecards and the ranks then follow every run kept.
 */
export async function publishAll(sql: Database, windows: WindowSettings): Promise<void> {
  while (
    (await sql.begin((tx) => publishRanks(tx as unknown as Database, windows))) >= RANKINGS_PER_RUN
  );
}
