import type { Database } from '../../platform/db.js';
import { writeEvent } from '../../platform/events/outbox.js';
import type { RunRow } from '../repository/run-store.js';

/**
 * Writes the run's progress on `aia.ventures.runs.v1` in `tx`, the transaction that recorded it:
 * published if and only if the progress is.
 */
export async function writeRunEvent(tx: Database, run: RunRow): Promise<void> {
  if (run.state === 'queued' || run.step === 'queued') return;
  const failedSources = Object.values(run.sources).filter((s) => s.failures.length > 0).length;
  await writeEvent(
    tx,
    'aia.ventures.runs.v1',
    run.id,
    {
      run_id: run.id,
      state: run.state,
      step: run.step,
      fetched: run.fetched,
      clustered: run.clustered,
      scored: run.scored,
      failed_sources: failedSources,
      at: new Date().toISOString(),
    },
    { producer: 'venture-discovery' },
  );
}
