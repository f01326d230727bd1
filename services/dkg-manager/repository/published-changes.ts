import type { Database } from '../../platform/db.js';
import type { RelationType } from '../domain/relations.js';

/**
 * What has been published on `aia.dkg.changes.v1` (migrations/002_published_changes.sql): the
 * last version per entry, and each relation published as set with its level. Every statement
 * runs in the transaction that writes the events to the outbox.
 */

/**
 * The last version of `entryId` published as created/updated (0 when none), its row locked
 * until the transaction ends: the lock every event of the entry is written under.
 */
export async function lockPublishedVersion(tx: Database, entryId: string): Promise<number> {
  await tx`insert into dkg_published_entries (entry_id) values (${entryId}) on conflict do nothing`;
  const [row] = await tx<{ version: number }[]>`
    select version from dkg_published_entries where entry_id = ${entryId} for update`;
  if (!row) throw new Error(`published version of ${entryId} vanished while locked`);
  return row.version;
}

export async function savePublishedVersion(
  tx: Database,
  entryId: string,
  version: number,
): Promise<void> {
  await tx`update dkg_published_entries set version = ${version} where entry_id = ${entryId}`;
}

/** A relation as last published: set with `level` (null: none), or undefined when not set. */
export async function publishedRelation(
  tx: Database,
  type: RelationType,
  from: string,
  to: string,
): Promise<{ readonly level: number | null } | undefined> {
  const [row] = await tx<{ level: number | null }[]>`
    select level from dkg_published_relations
    where from_id = ${from} and type = ${type} and to_id = ${to}`;
  return row;
}

/** Records the relation as published: set with `state.level`, or removed (`state` undefined). */
export async function savePublishedRelation(
  tx: Database,
  type: RelationType,
  from: string,
  to: string,
  state: { readonly level: number | null } | undefined,
): Promise<void> {
  if (state === undefined) {
    await tx`
      delete from dkg_published_relations
      where from_id = ${from} and type = ${type} and to_id = ${to}`;
    return;
  }
  await tx`
    insert into dkg_published_relations (from_id, type, to_id, level)
    values (${from}, ${type}, ${to}, ${state.level})
    on conflict (from_id, type, to_id) do update set level = excluded.level`;
}
