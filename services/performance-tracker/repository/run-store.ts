import type { Database } from '../../platform/db.js';

/** A run as the tracker keeps it (`tracker_runs`). */
export interface StoredRun {
  readonly runId: string;
  readonly agentId: string;
  /** Normalised (see `skillKey`); undefined when the record named none. */
  readonly skill: string | undefined;
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  /** AIA, an exact decimal string. */
  readonly cost: string;
  readonly durationMs: number;
  readonly quality: number | undefined;
  readonly finishedAt: string;
  readonly eventId: string;
}

/**
 * Keeps a run, once: false when a run with its id is already kept (the same run in another
 * envelope, as a producer's retry would send it), and nothing changes.
 */
export async function insertRun(tx: Database, run: StoredRun): Promise<boolean> {
  const rows = await tx`
    insert into tracker_runs (run_id, agent_id, skill, outcome, cost, duration_ms, quality,
                              finished_at, event_id)
    values (${run.runId}, ${run.agentId}, ${run.skill ?? null}, ${run.outcome}, ${run.cost}::numeric,
            ${run.durationMs}, ${run.quality ?? null}, ${run.finishedAt}, ${run.eventId})
    on conflict (run_id) do nothing
    returning run_id`;
  return rows.length > 0;
}

/**
 * Serialises the writers of one scorecard scope for the rest of `tx` (`agent:<id>` or
 * `skill:<name>`): a skill's scorecard sums runs of many agents, which consumers take in
 * concurrently. Whoever takes both kinds takes agents before skills, so two writers never wait
 * on each other in a cycle.
 */
export async function lockScope(tx: Database, key: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`aia:performance:${key}`}, 0))`;
}
