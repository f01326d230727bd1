import type { IdempotencyClaim } from '../../platform/idempotency/idempotent.js';
import type { CreateEntry } from '../domain/entry-schemas.js';
import {
  type Entry,
  type EntryVersion,
  nameKey,
  REGISTRIES,
  type RegistryName,
} from '../domain/registries.js';
import type { GraphTx } from '../graph/graph-store.js';
import { findEntry, findVersion, saveVersion } from '../repository/entry-nodes.js';
import { entryChanged } from './dkg-change-events.js';
import type { DkgContext } from './dkg-context.js';
import { asDkgError, DkgRefusedError, unknownReference } from './dkg-refused.js';
import { type GraphChange, idempotentGraphWrite, idFor } from './idempotent-graph-write.js';

export interface EntryReply {
  readonly status: 201;
  readonly body: { readonly entry: Entry; readonly version: EntryVersion };
}

/** Refuses a name another entry of the registry has (other than `self`). */
export async function checkNameFree(
  tx: GraphTx,
  registry: RegistryName,
  name: string,
  self?: string,
): Promise<void> {
  const holder = await tx.findByKey(REGISTRIES[registry], nameKey(name));
  if (holder && holder.id !== self)
    throw new DkgRefusedError('name_taken', `another ${registry} entry is named '${name}'`, 'name');
}

/** Refuses a `derived_from` that names no version. */
export async function checkVersionExists(tx: GraphTx, id: string | undefined): Promise<void> {
  if (id !== undefined && !(await tx.getNode('Version', id)))
    throw unknownReference('derived_from', id);
}

/**
 * Registers an entry owned by the caller, with its version 1 (derived from `derived_from` when
 * given), and publishes it (`created`, with the version's lineage) on aia.dkg.changes.v1.
 * Refused, changing and publishing nothing: a name the registry has (409 name_taken), an unknown
 * `derived_from` (422).
 */
export async function createEntry(
  context: DkgContext,
  owner: string,
  registry: RegistryName,
  input: CreateEntry,
  claim: IdempotencyClaim | undefined,
) {
  const id = idFor(`entry:${registry}`, claim);
  const versionId = idFor(`first-version:${registry}`, claim);
  return idempotentGraphWrite(context, claim, owner, async (tx) => {
    const made = await findEntry(tx, registry, id);
    const first = made && (await findVersion(tx, id, 1));
    // A retry of a create whose reply was never stored.
    if (made && first) return created(made, first);
    await checkNameFree(tx, registry, input.name);
    await checkVersionExists(tx, input.derived_from);
    const now = new Date().toISOString();
    const entry: Entry = {
      id,
      registry,
      name: input.name,
      description: input.description,
      tags: input.tags,
      owner,
      current_version: 1,
      created_at: now,
      updated_at: now,
    };
    const version: EntryVersion = {
      id: versionId,
      entry_id: id,
      number: 1,
      name: input.name,
      description: input.description,
      tags: input.tags,
      spec: input.spec,
      created_by: owner,
      created_at: now,
    };
    await saveVersion(tx, entry, version);
    if (input.derived_from)
      await tx.putEdge({
        type: 'DERIVED_FROM',
        from: versionId,
        to: input.derived_from,
        properties: {},
      });
    return created(entry, version);
  }).catch((error: unknown) => {
    throw asDkgError(error);
  });
}

/** The reply of a create or a new version, with what it changed: the entry (and its lineage). */
export const created = (entry: Entry, version: EntryVersion): GraphChange<EntryReply> => ({
  reply: { status: 201, body: { entry, version } },
  changed: [entryChanged(entry.id)],
});
