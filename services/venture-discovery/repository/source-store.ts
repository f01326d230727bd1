import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';
import type { FieldMapping } from '../sources/parse-tabular.js';
import type { SourceKind } from '../sources/read-source.js';

/** The longest a failing source's backoff grows (unless its own interval is longer): a day. */
const MAX_BACKOFF_SECONDS = 86_400;

/** A source as stored (`discovery_sources`). */
export interface SourceRow {
  readonly id: string;
  readonly name: string;
  readonly kind: SourceKind;
  readonly url: string | null;
  readonly mapping: Partial<FieldMapping>;
  readonly interval_seconds: number;
  readonly max_bytes: number;
  readonly timeout_ms: number;
  readonly min_interval_seconds: number;
  readonly enabled: boolean;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly last_fetched_at: Date | null;
  /** When a run last tried to read it, successfully or not. */
  readonly last_attempted_at: Date | null;
  /** Failed reads since its last successful one. */
  readonly consecutive_failures: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** What a person sets on a source. */
export interface SourceSettings {
  readonly name: string;
  readonly kind: SourceKind;
  readonly url: string | null;
  readonly mapping: Partial<FieldMapping>;
  readonly interval_seconds: number;
  readonly max_bytes: number;
  readonly timeout_ms: number;
  readonly min_interval_seconds: number;
  readonly enabled: boolean;
}

/** Adds a source; undefined when its name is taken (nothing is written). */
export async function insertSource(
  sql: Database,
  id: string,
  s: SourceSettings,
): Promise<SourceRow | undefined> {
  const [row] = await sql<SourceRow[]>`
    insert into discovery_sources (id, name, kind, url, mapping, interval_seconds, max_bytes,
                                   timeout_ms, min_interval_seconds, enabled)
    values (${id}, ${s.name}, ${s.kind}, ${s.url}, ${sql.json(s.mapping as JSONValue)},
            ${s.interval_seconds}, ${s.max_bytes}, ${s.timeout_ms}, ${s.min_interval_seconds},
            ${s.enabled})
    on conflict (name) do nothing
    returning *`;
  return row;
}

/** Replaces a source's settings; a changed URL forgets its validators and failures. Undefined when absent. */
export async function updateSource(
  sql: Database,
  id: string,
  s: SourceSettings,
): Promise<SourceRow | undefined> {
  const [row] = await sql<SourceRow[]>`
    update discovery_sources
       set name = ${s.name}, url = ${s.url}, mapping = ${sql.json(s.mapping as JSONValue)},
           interval_seconds = ${s.interval_seconds}, max_bytes = ${s.max_bytes},
           timeout_ms = ${s.timeout_ms}, min_interval_seconds = ${s.min_interval_seconds},
           enabled = ${s.enabled},
           etag = case when url is distinct from ${s.url} then null else etag end,
           last_modified = case when url is distinct from ${s.url} then null else last_modified end,
           consecutive_failures = case when url is distinct from ${s.url} then 0 else consecutive_failures end,
           updated_at = now()
     where id = ${id}
     returning *`;
  return row;
}

/** How many opportunities cite a signal of the source as evidence. */
export async function opportunitiesBackedBy(sql: Database, id: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(distinct e.opportunity_id)::int as n
      from discovery_evidence e join discovery_signals s on s.id = e.signal_id
     where s.source_id = ${id}`;
  return row?.n ?? 0;
}

/** Locks the source's row for the transaction; false when there is none. */
export async function lockSource(tx: Database, id: string): Promise<boolean> {
  return (await tx`select id from discovery_sources where id = ${id} for update`).length > 0;
}

/** Removes a source and its signals (their evidence goes with them: check first). */
export async function deleteSource(sql: Database, id: string): Promise<boolean> {
  return (await sql`delete from discovery_sources where id = ${id} returning id`).length > 0;
}

export async function findSource(sql: Database, id: string): Promise<SourceRow | undefined> {
  const [row] = await sql<SourceRow[]>`select * from discovery_sources where id = ${id}`;
  return row;
}

/** One page of sources by name, after `afterName`. */
export async function listSources(
  sql: Database,
  { limit, afterName }: { limit: number; afterName?: string },
): Promise<SourceRow[]> {
  return sql<SourceRow[]>`
    select * from discovery_sources
     where ${afterName === undefined ? sql`true` : sql`name > ${afterName}`}
     order by name limit ${limit}`;
}

/** The enabled sources a run reads: `ids`, or every enabled one. */
export async function sourcesForRun(
  sql: Database,
  ids: readonly string[] | null,
): Promise<SourceRow[]> {
  return sql<SourceRow[]>`
    select * from discovery_sources
     where enabled and ${ids === null ? sql`true` : sql`id = any(${ids as string[]}::uuid[])`}
     order by name`;
}

/**
 * Whether any enabled fetched source is due: its interval passed since the last attempt to read
 * it, doubled for each further failure in a row (up to a day, or its interval when that is longer).
 */
export async function anySourceDue(sql: Database): Promise<boolean> {
  const [row] = await sql<{ due: boolean }[]>`
    select exists (
      select 1 from discovery_sources
       where enabled and kind not in ('upload', 'events')
         and (last_attempted_at is null
              or last_attempted_at + make_interval(secs => least(
                   interval_seconds * power(2, least(greatest(consecutive_failures - 1, 0), 20)),
                   greatest(interval_seconds, ${MAX_BACKOFF_SECONDS}))) <= now())) as due`;
  return row?.due === true;
}

/** Records a successful fetch: when, and the validators to send next time (304 keeps the old ones). */
export async function markFetched(
  sql: Database,
  id: string,
  validators: { etag?: string | null; lastModified?: string | null } | undefined,
): Promise<void> {
  await sql`
    update discovery_sources
       set last_fetched_at = now(), last_attempted_at = now(), consecutive_failures = 0,
           etag = ${validators ? (validators.etag ?? null) : sql`etag`},
           last_modified = ${validators ? (validators.lastModified ?? null) : sql`last_modified`}
     where id = ${id}`;
}

/** Records a failed fetch: an attempt all the same (due-ness and the rate limit count it). */
export async function markFailed(sql: Database, id: string): Promise<void> {
  await sql`
    update discovery_sources
       set last_attempted_at = now(), consecutive_failures = consecutive_failures + 1
     where id = ${id}`;
}
