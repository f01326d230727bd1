import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import type { IdempotencyClaim } from '../../platform/idempotency/idempotent.js';
import type { NewVersion } from '../domain/entry-schemas.js';
import type { Entry, EntryVersion, RegistryName } from '../domain/registries.js';
import { findEntry, findVersion, saveVersion, versionOf } from '../repository/entry-nodes.js';
import { checkNameFree, checkVersionExists, created } from './create-entry.js';
import type { DkgContext } from './dkg-context.js';
import { asDkgError } from './dkg-refused.js';
import { idempotentGraphWrite, idFor } from './idempotent-graph-write.js';

/**
 * Adds the next version of an entry (its owner only): what the input leaves out is kept from
 * the current version; the new version DERIVED_FROM `derived_from`, or else the version it
 * replaces. Earlier versions stay as they were. Published (`updated`, with the version's lineage)
 * on aia.dkg.changes.v1. Refused, changing and publishing nothing: an unknown entry (404),
 * another's (403), a name the registry has (409 name_taken), an unknown `derived_from` (422), a
 * version added at the same moment (409 version_conflict).
 */
export async function addVersion(
  context: DkgContext,
  caller: string,
  registry: RegistryName,
  entryId: string,
  input: NewVersion,
  claim: IdempotencyClaim | undefined,
) {
  const versionId = idFor(`version:${entryId}`, claim);
  return idempotentGraphWrite(context, claim, caller, async (tx) => {
    const current = await findEntry(tx, registry, entryId);
    if (!current) throw new NotFoundError(`no ${registry} entry ${entryId}`);
    const made = await tx.getNode('Version', versionId);
    if (made) return created(current, versionOf(made));
    if (current.owner !== caller)
      throw new ForbiddenError(`${registry} entry ${entryId} is ${current.owner}'s`);
    const previous = await findVersion(tx, entryId, current.current_version);
    if (!previous) throw new Error(`entry ${entryId} has no version ${current.current_version}`);
    if (input.name !== undefined) await checkNameFree(tx, registry, input.name, entryId);
    await checkVersionExists(tx, input.derived_from);
    const now = new Date().toISOString();
    const number = current.current_version + 1;
    const version: EntryVersion = {
      id: versionId,
      entry_id: entryId,
      number,
      name: input.name ?? previous.name,
      description: input.description ?? previous.description,
      tags: input.tags ?? previous.tags,
      spec: input.spec ?? previous.spec,
      created_by: caller,
      created_at: now,
    };
    const entry: Entry = {
      ...current,
      name: version.name,
      description: version.description,
      tags: version.tags,
      current_version: number,
      updated_at: now,
    };
    await saveVersion(tx, entry, version);
    await tx.putEdge({
      type: 'DERIVED_FROM',
      from: versionId,
      to: input.derived_from ?? previous.id,
      properties: {},
    });
    return created(entry, version);
  }).catch((error: unknown) => {
    throw asDkgError(error);
  });
}
