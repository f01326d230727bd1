import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';

/** How one source fared in a run. */
export interface RunSourceProgress {
  readonly name: string;
  readonly kind: string;
  readonly url: string | null;
  /** Items read from it. */
  readonly fetched: number;
  /** New signals kept from it. */
  readonly accepted: number;
  /** True when it answered 304 (nothing new) or was skipped by its rate limit. */
  readonly unchanged?: boolean;
  readonly failures: readonly { readonly code: string; readonly message: string }[];
}

export type RunState = 'queued' | 'running' | 'succeeded' | 'failed';
export type RunStep = 'queued' | 'started' | 'fetched' | 'clustered' | 'scored' | 'done';

/** The weights a run scored with, and the configured weights they were adjusted from. */
export interface StoredWeights {
  readonly used: Record<string, number>;
  readonly configured: Record<string, number>;
}

/** A run as stored (`discovery_runs`). */
export interface RunRow {
  readonly id: string;
  readonly trigger: string;
  readonly state: RunState;
  readonly step: RunStep;
  readonly attempts: number;
  readonly source_ids: string[] | null;
  readonly fetched: number;
  readonly accepted: number;
  readonly clustered: number;
  readonly scored: number;
  readonly published: number;
  readonly sources: Record<string, RunSourceProgress>;
  readonly weights: StoredWeights | null;
  readonly weight_changes: Record<string, { from: number; to: number }> | null;
  readonly error: string | null;
  readonly created_at: Date;
  readonly started_at: Date | null;
  readonly finished_at: Date | null;
}

/**
 * Queues a run for `trigger`, once: a second call with the same trigger returns the run the first
 * made (`created` false) and queues nothing.
 */
export async function queueRun(
  sql: Database,
  id: string,
  trigger: string,
  sourceIds: readonly string[] | null,
): Promise<{ run: RunRow; created: boolean }> {
  const [created] = await sql<RunRow[]>`
    insert into discovery_runs (id, trigger, state, source_ids)
    values (${id}, ${trigger}, 'queued', ${sourceIds === null ? null : (sourceIds as string[])}::uuid[])
    on conflict (trigger) do nothing
    returning *`;
  if (created) return { run: created, created: true };
  const [existing] = await sql<RunRow[]>`select * from discovery_runs where trigger = ${trigger}`;
  if (!existing) throw new Error(`run of trigger ${trigger} vanished`);
  return { run: existing, created: false };
}

/**
 * Takes the oldest run that is queued, or running with an expired lease (its executor died), and
 * leases it for `leaseMs`: the attempt number it returns guards every later write.
 */
export async function claimRun(sql: Database, leaseMs: number): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update discovery_runs
       set state = 'running', attempts = attempts + 1,
           -- Opportunities written (step scored) stay written: the attempt only publishes reports.
           step = case when step = 'scored' then 'scored' else 'started' end,
           lease_until = now() + ${leaseMs} * interval '1 millisecond',
           started_at = coalesce(started_at, now())
     where id = (
       select id from discovery_runs
        where state = 'queued' or (state = 'running' and lease_until < now())
        order by created_at, id
        for update skip locked
        limit 1)
     returning *`;
  return row;
}

/** The progress an attempt made, and a renewed lease; false when the attempt lost the run. */
export async function recordProgress(
  sql: Database,
  id: string,
  attempt: number,
  progress: {
    step: RunStep;
    fetched?: number;
    accepted?: number;
    clustered?: number;
    scored?: number;
    sources?: Record<string, RunSourceProgress>;
  },
  leaseMs: number,
): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`
    update discovery_runs
       set step = ${progress.step},
           fetched = coalesce(${progress.fetched ?? null}::integer, fetched),
           accepted = coalesce(${progress.accepted ?? null}::integer, accepted),
           clustered = coalesce(${progress.clustered ?? null}::integer, clustered),
           scored = coalesce(${progress.scored ?? null}::integer, scored),
           sources = coalesce(${progress.sources ? sql.json(progress.sources as unknown as JSONValue) : null}::jsonb, sources),
           lease_until = now() + ${leaseMs} * interval '1 millisecond'
     where id = ${id} and attempts = ${attempt} and state = 'running'
     returning *`;
  return row;
}

/** Locks the run for its last transaction; undefined when another attempt took it over. */
export async function lockRunAttempt(
  tx: Database,
  id: string,
  attempt: number,
): Promise<RunRow | undefined> {
  const [row] = await tx<RunRow[]>`
    select * from discovery_runs
     where id = ${id} and attempts = ${attempt} and state = 'running'
     for update`;
  return row;
}

/**
 * Records what the run's last transaction wrote (in it): the opportunities are stored, the
 * weights they were scored with, how feedback moved them. The run then only publishes reports.
 */
export async function recordScored(
  tx: Database,
  id: string,
  scored: {
    scored: number;
    published: number;
    weights: StoredWeights;
    weightChanges: Record<string, { from: number; to: number }>;
  },
): Promise<RunRow> {
  const [row] = await tx<RunRow[]>`
    update discovery_runs
       set step = 'scored', scored = ${scored.scored}, published = ${scored.published},
           weights = ${tx.json(scored.weights as unknown as JSONValue)},
           weight_changes = ${tx.json(scored.weightChanges)}
     where id = ${id}
     returning *`;
  if (!row) throw new Error(`run ${id} vanished`);
  return row;
}

/** Ends a run, succeeded or failed with why; false when the attempt had lost the run. */
export async function finishRun(
  tx: Database,
  id: string,
  attempt: number,
  outcome: { state: 'succeeded' } | { state: 'failed'; error: string },
): Promise<RunRow | undefined> {
  const [row] = await tx<RunRow[]>`
    update discovery_runs
       set state = ${outcome.state},
           step = ${outcome.state === 'succeeded' ? 'done' : tx`step`},
           error = ${outcome.state === 'failed' ? outcome.error.slice(0, 2_000) : null},
           lease_until = null, finished_at = now()
     where id = ${id} and attempts = ${attempt} and state = 'running'
     returning *`;
  return row;
}

export async function findRun(sql: Database, id: string): Promise<RunRow | undefined> {
  const [row] = await sql<RunRow[]>`select * from discovery_runs where id = ${id}`;
  return row;
}

/**
 * One page of runs, newest first, after the run (`created_at`, `id`) of the cursor. Ordered by
 * `created_at` to the millisecond, as a cursor carries it (JavaScript dates): compared at the
 * database's microseconds, a run created in the same millisecond as a page's last could be
 * skipped.
 */
export async function listRuns(
  sql: Database,
  { limit, after }: { limit: number; after?: { createdAt: string; id: string } },
): Promise<RunRow[]> {
  const at = sql`date_trunc('milliseconds', created_at)`;
  return sql<RunRow[]>`
    select * from discovery_runs
     where ${after === undefined ? sql`true` : sql`(${at}, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`}
     order by ${at} desc, id desc limit ${limit}`;
}

/** The weights the latest succeeded run scored with, and the configured weights it started from. */
export async function latestWeights(sql: Database): Promise<StoredWeights | undefined> {
  const [row] = await sql<{ weights: StoredWeights }[]>`
    select weights from discovery_runs
     where state = 'succeeded' and weights is not null
     order by finished_at desc limit 1`;
  return row?.weights;
}
