import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { findRun, queueRun, type RunRow } from '../repository/run-store.js';
import { anySourceDue, findSource } from '../repository/source-store.js';
import type { DiscoveryContext } from './discovery-context.js';

/**
 * Queues a discovery run asked for through the API: one per `Idempotency-Key` (the same key
 * returns the run it queued), a new one per request without. `sourceIds` limits it to those
 * sources (422 naming the index of one that does not exist).
 */
export async function requestRun(
  context: DiscoveryContext,
  { key, sourceIds }: { key?: string; sourceIds?: readonly string[] },
): Promise<{ run: RunRow; created: boolean }> {
  const ids = sourceIds ?? null;
  for (const [index, id] of (ids ?? []).entries())
    if (!(await findSource(context.sql, id)))
      throw new ValidationError([
        { field: `source_ids.${index}`, reason: `source ${id} does not exist` },
      ]);
  const id = randomUUID();
  return queueRun(context.sql, id, `manual:${key ?? id}`, ids);
}

/**
 * Queues the scheduled run of the current slot when a source is due: the slot (`intervalMs`
 * wide) names the trigger, so replicas asking at once queue one run.
 */
export async function scheduleDueRun(
  context: DiscoveryContext,
  now: Date,
  intervalMs: number,
): Promise<boolean> {
  if (!(await anySourceDue(context.sql))) return false;
  const slot = Math.floor(now.getTime() / intervalMs);
  return (await queueRun(context.sql, randomUUID(), `schedule:${slot}`, null)).created;
}

/** A run; 404 naming the id when there is none. */
export async function getRun(context: DiscoveryContext, id: string): Promise<RunRow> {
  const run = await findRun(context.sql, id);
  if (!run) throw new NotFoundError(`run ${id} does not exist`);
  return run;
}
