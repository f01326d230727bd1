import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { findRun, listRuns, queueRun, type RunRow } from '../repository/run-store.js';
import { anySourceDue, findSource } from '../repository/source-store.js';
import type { DiscoveryContext } from './discovery-context.js';
import { decodeCursor, encodeCursor } from './read-opportunities.js';

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
/** One page of runs, newest first (scheduled ones too), and the cursor of the next page. */
export async function runPage(
  context: DiscoveryContext,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<{ runs: RunRow[]; nextCursor: string | null }> {
  const at = cursor === undefined ? undefined : decodeCursor(cursor);
  if (cursor !== undefined && !at)
    throw new ValidationError([
      { field: 'cursor', reason: 'is not the next_cursor of a previous page' },
    ]);
  const rows = await listRuns(context.sql, {
    limit: limit + 1,
    ...(at ? { after: { createdAt: at.value, id: at.id } } : {}),
  });
  const runs = rows.slice(0, limit);
  const last = runs.at(-1);
  return {
    runs,
    nextCursor:
      rows.length > limit && last ? encodeCursor(last.created_at.toISOString(), last.id) : null,
  };
}

export async function getRun(context: DiscoveryContext, id: string): Promise<RunRow> {
  const run = await findRun(context.sql, id);
  if (!run) throw new NotFoundError(`run ${id} does not exist`);
  return run;
}
