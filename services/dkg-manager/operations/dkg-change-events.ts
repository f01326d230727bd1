import {
  DKG_ACTOR_MAX,
  DKG_NAME_MAX,
  type DkgChangeRecord,
  type DkgRelationRecord,
} from '../../events/schemas/dkg-changes.js';
import type { Database } from '../../platform/db.js';
import { writeEvent } from '../../platform/events/index.js';
import {
  type Entry,
  type EntryVersion,
  type RegistryName,
  registryOfLabel,
} from '../domain/registries.js';
import type { RelationType } from '../domain/relations.js';
import type { NodeLabel } from '../graph/graph-schema.js';
import type { GraphNode, GraphTx } from '../graph/graph-store.js';
import { entryOf, findVersion } from '../repository/entry-nodes.js';
import {
  lockPublishedVersion,
  publishedRelation,
  savePublishedRelation,
  savePublishedVersion,
} from '../repository/published-changes.js';

const TOPIC = 'aia.dkg.changes.v1';
const producer = 'dkg-manager';

/**
 * Something a graph write changed, whose state `publishChanges` publishes under the key
 * `entryId`: the entry itself, or a relation from it (or from one of its versions).
 */
export type ChangeSubject =
  | { readonly kind: 'entry'; readonly entryId: string }
  | {
      readonly kind: 'relation';
      readonly entryId: string;
      readonly type: RelationType;
      readonly from: string;
      readonly to: string;
    };

export const entryChanged = (entryId: string): ChangeSubject => ({ kind: 'entry', entryId });

/** A relation from `from`: the entry itself, or (DERIVED_FROM) one of its versions. */
export const relationChanged = (
  from: GraphNode,
  type: RelationType,
  to: string,
): ChangeSubject => ({
  kind: 'relation',
  entryId: from.label === 'Version' ? String(from.properties.entry_id) : from.id,
  type,
  from: from.id,
  to,
});

/** A relation from an entry (every relation but DERIVED_FROM, which is from a version). */
export const entryRelationChanged = (
  type: Exclude<RelationType, 'DERIVED_FROM'>,
  from: string,
  to: string,
): ChangeSubject => ({ kind: 'relation', entryId: from, type, from, to });

/**
 * Reads the graph as committed writes left it: on PostgreSQL the writing transaction itself, on
 * Neo4j a transaction on the leader (which has every committed write).
 */
export type GraphReader = <T>(work: (tx: GraphTx) => Promise<T>) => Promise<T>;

const KIND_OF_LABEL: Readonly<Record<NodeLabel, DkgRelationRecord['to_kind']>> = {
  Skill: 'skill',
  Tool: 'tool',
  Strategy: 'strategy',
  Agent: 'agent',
  TaskType: 'task_type',
  Version: 'version',
};
const RECORD_REGISTRY: Readonly<Record<RegistryName, DkgChangeRecord['registry']>> = {
  skills: 'skill',
  tools: 'tool',
  strategies: 'strategy',
  agents: 'agent',
};

const required = (node: GraphNode | undefined, id: string): GraphNode => {
  // Nodes are never deleted: a subject's nodes exist once its write committed.
  if (!node) throw new Error(`node ${id} of a committed change does not exist`);
  return node;
};

/** A relation's ends and its edge (undefined: not set) as the graph now has them. */
async function relationNow(
  tx: GraphTx,
  { type, from, to }: { type: RelationType; from: string; to: string },
) {
  const edge = (await tx.neighbours(from, { direction: 'out', types: [type] })).find(
    ({ node }) => node.id === to,
  )?.edge;
  return {
    from: required(await tx.findNode(from), from),
    to: required(await tx.findNode(to), to),
    level: edge && (typeof edge.properties.level === 'number' ? edge.properties.level : null),
  };
}

/**
 * What the graph holds for `subject` beyond `published` (the entry's last published version):
 * the entry as it now is, its unpublished versions (numbered without gaps and never changed,
 * so exactly `published + 1` to the current one), and the relation's state.
 */
async function stateOf(tx: GraphTx, subject: ChangeSubject, published: number) {
  const entryNode = required(await tx.findNode(subject.entryId), subject.entryId);
  const registry = registryOfLabel(entryNode.label);
  if (registry === undefined) throw new Error(`${subject.entryId} is no registry entry`);
  const entry = entryOf(registry, entryNode);
  const versions: VersionState[] = [];
  for (let number = published + 1; number <= entry.current_version; number++) {
    const version = await findVersion(tx, entry.id, number);
    if (!version) throw new Error(`entry ${entry.id} has no version ${number}`);
    const lineage = await tx.neighbours(version.id, { direction: 'out', types: ['DERIVED_FROM'] });
    versions.push({ version, derivedFrom: lineage.map(({ node }) => node.id) });
  }
  const relation = subject.kind === 'relation' ? await relationNow(tx, subject) : undefined;
  return { entry, versions, relation };
}

/**
 * An optional text field of the record, left out when the graph holds none that fits the
 * schema (a node written by other code than the API's validated routes): the change is
 * published all the same rather than refused after the graph has it.
 */
const text = (field: string, value: unknown, max: number) =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? { [field]: value } : {};

/** A version with the versions it derives from (its DERIVED_FROM relations). */
interface VersionState {
  readonly version: EntryVersion;
  readonly derivedFrom: readonly string[];
}

const versionRecord = (entry: Entry, { version, derivedFrom }: VersionState): DkgChangeRecord => ({
  entry_id: entry.id,
  registry: RECORD_REGISTRY[entry.registry],
  change: version.number === 1 ? 'created' : 'updated',
  version: version.number,
  ...text('name', version.name, DKG_NAME_MAX),
  ...text('actor', version.created_by, DKG_ACTOR_MAX),
  derived_from: [...derivedFrom],
  changed_at: version.created_at,
});

type RelationState = Awaited<ReturnType<typeof relationNow>>;

const relationRecord = (
  entry: Entry,
  type: RelationType,
  { from, to, level }: RelationState,
  actor: string | undefined,
): DkgChangeRecord => {
  const toName = to.properties.name;
  return {
    entry_id: entry.id,
    registry: RECORD_REGISTRY[entry.registry],
    change: level === undefined ? 'relation_removed' : 'relation_set',
    version: from.label === 'Version' ? Number(from.properties.number) : entry.current_version,
    ...text('name', entry.name, DKG_NAME_MAX),
    ...text('actor', actor, DKG_ACTOR_MAX),
    relation: {
      type,
      from_id: from.id,
      to_id: to.id,
      to_kind: KIND_OF_LABEL[to.label],
      ...text('to_name', toName, DKG_NAME_MAX),
      ...(typeof level === 'number' ? { level } : {}),
    },
    changed_at: new Date().toISOString(),
  };
};

/**
 * Publishes what `subject` holds in the graph beyond what was published (none when a retry
 * finds its events published already), holding its entry's row so that the entry's events are
 * written one writer at a time, in order. Returns how many events it wrote.
 */
async function publishSubject(
  sql: Database,
  read: GraphReader,
  subject: ChangeSubject,
  actor: string | undefined,
): Promise<number> {
  const published = await lockPublishedVersion(sql, subject.entryId);
  const { entry, versions, relation } = await read((tx) => stateOf(tx, subject, published));
  const records = versions.map((version) => versionRecord(entry, version));
  if (versions.length > 0) await savePublishedVersion(sql, entry.id, entry.current_version);
  // A version's record announces its lineage: those relations count as published set.
  for (const { version, derivedFrom } of versions)
    for (const to of derivedFrom)
      await savePublishedRelation(sql, 'DERIVED_FROM', version.id, to, { level: null });
  if (subject.kind === 'relation' && relation) {
    const { type, from, to } = subject;
    const before = await publishedRelation(sql, type, from, to);
    const now = relation.level === undefined ? undefined : { level: relation.level };
    const unchanged =
      before === undefined ? now === undefined : now !== undefined && now.level === before.level;
    if (!unchanged) {
      records.push(relationRecord(entry, type, relation, actor));
      await savePublishedRelation(sql, type, from, to, now);
    }
  }
  for (const record of records) await writeEvent(sql, TOPIC, entry.id, record, { producer });
  return records.length;
}

/**
 * Writes to the outbox, in `sql` (a PostgreSQL transaction), the `aia.dkg.changes.v1` events of
 * what `subjects` hold in the graph and was not published yet: each version not published as
 * created/updated, each relation whose state (set with a level, or removed) differs from the one
 * last published. What was published is recorded in the same transaction, so whichever of two
 * attempts commits publishes, and the other finds nothing left: an acknowledged change has
 * exactly one event. Returns how many events were written.
 */
export async function publishChanges(
  sql: Database,
  read: GraphReader,
  subjects: readonly ChangeSubject[],
  actor: string | undefined,
): Promise<number> {
  let written = 0;
  for (const subject of subjects) written += await publishSubject(sql, read, subject, actor);
  return written;
}
