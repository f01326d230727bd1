import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/** The longest `name` and `relation.to_name` (a registry entry's name is at most this long). */
export const DKG_NAME_MAX = 200;
/** The longest `actor` (a caller's subject). */
export const DKG_ACTOR_MAX = 256;

/** The relations of the knowledge graph a change can set or remove. */
export const DKG_RELATION_TYPES = [
  'HAS_SKILL',
  'REQUIRES',
  'USES',
  'APPLIES_TO',
  'DERIVED_FROM',
  'MANAGES',
] as const;

/** What a relation's far end is: an entry of a registry, a task type, or a version. */
export const DKG_END_KINDS = [
  'skill',
  'tool',
  'strategy',
  'agent',
  'task_type',
  'version',
] as const;

/**
 * A relation as a change names it. The near end is the record's entry (`from_id` is that entry,
 * or for DERIVED_FROM one of its versions); the far end is named in full, since a consumer may
 * know nothing of it yet.
 */
export const dkgRelationRecord = z.strictObject({
  type: z.enum(DKG_RELATION_TYPES),
  from_id: uuid,
  to_id: uuid,
  to_kind: z.enum(DKG_END_KINDS),
  /** The far end's name (an entry's current name, a task type's name). */
  to_name: z.string().min(1).max(DKG_NAME_MAX).optional(),
  /** HAS_SKILL only: the agent's declared level, 1 (aware) to 5 (expert); absent on removal. */
  level: z.number().int().min(1).max(5).optional(),
});

const RELATION_CHANGES = ['relation_set', 'relation_removed'] as const;

/**
 * `aia.dkg.changes.v1` (keyed by registry entry id): one change to the skill, tool, strategy or
 * agent registries, published by the DKG manager exactly once per change.
 *
 * - `created` / `updated`: the entry's version `version` was made (1 for `created`) by `actor`,
 *   deriving from the versions in `derived_from`.
 * - `relation_set` / `relation_removed`: a relation from this entry (or, for DERIVED_FROM, from
 *   its version `version`) was set (again, with its `level`) or removed; `relation` names it.
 *   One record per relation, under the entry at its near end (`from`), so it is ordered with
 *   that entry's own changes; `relation.to_id` names the other end.
 *
 * Entries are never deleted (versions are immutable), so there is no removal of an entry.
 * Later versions may only add optional fields.
 */
export const dkgChangeRecord = z
  .strictObject({
    entry_id: uuid,
    registry: z.enum(['skill', 'tool', 'strategy', 'agent']),
    change: z.enum(['created', 'updated', ...RELATION_CHANGES]),
    /**
     * The version the change concerns: the version made (`created`, `updated`); for a relation,
     * the entry's current version, or the deriving version's number for DERIVED_FROM.
     */
    version: z.number().int().min(1),
    /** The entry's name as of `version`. */
    name: z.string().min(1).max(DKG_NAME_MAX).optional(),
    /** Who made the change: a version's author, or the caller who set or removed a relation. */
    actor: z.string().min(1).max(DKG_ACTOR_MAX).optional(),
    /**
     * `created` / `updated`: the versions this one derives from (its DERIVED_FROM relations, each
     * announced here rather than by a `relation_set` of its own); empty when none.
     */
    derived_from: z.array(uuid).optional(),
    /** The relation set or removed; present exactly on `relation_set` and `relation_removed`. */
    relation: dkgRelationRecord.optional(),
    changed_at: timestamp,
  })
  .refine(
    (record) =>
      (record.relation !== undefined) ===
      (RELATION_CHANGES as readonly string[]).includes(record.change),
    { path: ['relation'], message: 'present exactly on relation_set and relation_removed' },
  );

export type DkgChangeRecord = z.infer<typeof dkgChangeRecord>;
export type DkgRelationRecord = z.infer<typeof dkgRelationRecord>;
