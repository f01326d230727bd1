import { randomUUID } from 'node:crypto';
import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import type { Database } from '../../platform/db.js';
import { type Entry, type EntryVersion, nameKey } from '../domain/registries.js';
import type { GraphNode, GraphTx } from '../graph/graph-store.js';
import {
  entryNode,
  entryOf,
  findVersion,
  saveVersion,
  versionNode,
} from '../repository/entry-nodes.js';
import { lockAgentMirror, lockEvidenceOf } from '../repository/mirror-locks.js';
import {
  DEFAULT_MIRRORED_LEVEL,
  MIRROR_OWNER,
  mirroredAgentNode,
  mirroredRevisionOf,
  mirroredSpecOf,
} from '../repository/mirrored-agents.js';
import {
  dropPendingManagers,
  pendingManagers,
  savePendingManager,
} from '../repository/pending-managers.js';
import { publishedAgentRelations } from '../repository/published-agent-relations.js';
import { copyEvidence } from './copy-evidence.js';
import {
  type ChangeSubject,
  entryChanged,
  entryRelationChanged,
  publishChanges,
} from './dkg-change-events.js';
import type { DkgContext } from './dkg-context.js';
import { type GraphBeside, graphBeside } from './graph-in-transaction.js';

/** An entry's tags are at most this many (entry-schemas.ts): a card's skill tags, the first 20. */
const MAX_ENTRY_TAGS = 20;

/** What a record did: `stale` when the graph had a later revision of the agent already. */
export type MirrorOutcome = 'applied' | 'stale';

/** A relation the mirror set or removed, for the change events. */
export interface MirroredRelation {
  readonly type: 'HAS_SKILL' | 'MANAGES';
  readonly from: string;
  readonly to: string;
}

/** What a record changed in the graph, beyond the agent's own entry. */
export interface MirrorChanges {
  readonly skillsCreated: string[];
  readonly relations: MirroredRelation[];
}

/** The Skill entry named like a card skill: found by its normalised name, else made. */
async function skillFor(
  graph: GraphTx,
  skill: AgentRegistryRecord['skills'][number],
  at: string,
  changes: MirrorChanges,
): Promise<GraphNode> {
  const found = await graph.findByKey('Skill', nameKey(skill.name));
  if (found) return found;
  const entry: Entry = {
    id: randomUUID(),
    registry: 'skills',
    name: skill.name,
    description: '',
    tags: skill.tags,
    owner: MIRROR_OWNER,
    current_version: 1,
    created_at: at,
    updated_at: at,
  };
  await saveVersion(graph, entry, {
    id: randomUUID(),
    entry_id: entry.id,
    number: 1,
    name: entry.name,
    description: '',
    tags: entry.tags,
    spec: { card_skill_id: skill.id },
    created_by: MIRROR_OWNER,
    created_at: at,
  });
  changes.skillsCreated.push(entry.id);
  return entryNode(entry);
}

/**
 * The agent's entry as the record has it: a new version when its name, description, card version,
 * skills or status changed (derived from the one it replaces), else the same version; the node
 * takes the record's status and revision either way.
 */
async function saveAgent(graph: GraphTx, node: GraphNode | undefined, record: AgentRegistryRecord) {
  const current = node && entryOf('agents', node);
  const previous = current && (await findVersion(graph, record.agent_id, current.current_version));
  const spec = mirroredSpecOf(record);
  const unchanged =
    current !== undefined &&
    previous !== undefined &&
    previous.name === record.name &&
    previous.description === record.description &&
    JSON.stringify(previous.spec) === JSON.stringify(spec);
  const tags = [...new Set(record.skills.flatMap((skill) => skill.tags))].slice(0, MAX_ENTRY_TAGS);
  const number = unchanged ? current.current_version : (current?.current_version ?? 0) + 1;
  const entry: Entry = {
    id: record.agent_id,
    registry: 'agents',
    name: unchanged ? current.name : record.name,
    description: unchanged ? current.description : record.description,
    tags: unchanged ? current.tags : tags,
    owner: current?.owner ?? MIRROR_OWNER,
    current_version: number,
    created_at: current?.created_at ?? record.changed_at,
    updated_at: record.changed_at,
  };
  await graph.upsertNode(mirroredAgentNode(entry, record));
  if (unchanged) return;
  const version: EntryVersion = {
    id: randomUUID(),
    entry_id: entry.id,
    number,
    name: record.name,
    description: record.description,
    tags,
    spec: { ...spec },
    created_by: MIRROR_OWNER,
    created_at: record.changed_at,
  };
  await graph.upsertNode(versionNode(version));
  await graph.putEdge({ type: 'HAS_VERSION', from: entry.id, to: version.id, properties: {} });
  if (previous)
    await graph.putEdge({
      type: 'DERIVED_FROM',
      from: version.id,
      to: previous.id,
      properties: {},
    });
}

/**
 * HAS_SKILL edges to the Skill entries of the card's skills (made when absent), at the card's
 * level or DEFAULT_MIRRORED_LEVEL; edges to skills the card no longer lists are removed. Evidence
 * on the edges stays: a level is set beside it.
 */
async function setSkills(graph: GraphTx, record: AgentRegistryRecord, changes: MirrorChanges) {
  const agentId = record.agent_id;
  const wanted = new Map<string, number>();
  for (const skill of record.skills) {
    const node = await skillFor(graph, skill, record.changed_at, changes);
    const level = skill.level ?? DEFAULT_MIRRORED_LEVEL;
    wanted.set(node.id, Math.max(wanted.get(node.id) ?? 0, level));
  }
  const held = await graph.neighbours(agentId, { direction: 'out', types: ['HAS_SKILL'] });
  for (const { node, edge } of held) {
    const level = wanted.get(node.id);
    wanted.delete(node.id);
    if (level === undefined) await graph.deleteEdge('HAS_SKILL', agentId, node.id);
    else if (edge.properties.level !== level)
      await graph.setEdgeProperties('HAS_SKILL', agentId, node.id, { level });
    else continue;
    changes.relations.push({ type: 'HAS_SKILL', from: agentId, to: node.id });
  }
  for (const [skillId, level] of wanted) {
    await graph.putEdge({ type: 'HAS_SKILL', from: agentId, to: skillId, properties: { level } });
    changes.relations.push({ type: 'HAS_SKILL', from: agentId, to: skillId });
  }
}

/** MANAGES edges into the agent from any agent but the record's manager are removed. */
async function dropOtherManagers(
  graph: GraphTx,
  record: AgentRegistryRecord,
  changes: MirrorChanges,
) {
  const managers = await graph.neighbours(record.agent_id, { direction: 'in', types: ['MANAGES'] });
  for (const { node } of managers)
    if (node.id !== record.manager_id) {
      await graph.deleteEdge('MANAGES', node.id, record.agent_id);
      changes.relations.push({ type: 'MANAGES', from: node.id, to: record.agent_id });
    }
}

/** Applies the record to the graph, unless the graph has a later revision of the agent. */
async function applyRecord(
  graph: GraphTx,
  record: AgentRegistryRecord,
  changes: MirrorChanges,
): Promise<'older' | 'applied'> {
  const node = await graph.getNode('Agent', record.agent_id);
  const revision = node && mirroredRevisionOf(node);
  if (revision !== undefined && revision > record.revision) return 'older';
  // The same revision: applied by an attempt whose transaction beside the graph failed after.
  if (revision === record.revision) return 'applied';
  await saveAgent(graph, node, record);
  await setSkills(graph, record, changes);
  await dropOtherManagers(graph, record, changes);
  return 'applied';
}

/**
 * Joins waiting agents to their managers: every agent whose manager is now in the graph gets its
 * MANAGES edge, unless the edge would close a cycle (records of two agents applied out of order:
 * the later record of the other agent removes the cycle, and this is tried again then).
 * `wishes` maps each waiting agent to its manager.
 */
async function joinManagers(
  graph: GraphBeside,
  tx: Database,
  wishes: ReadonlyMap<string, string>,
  changes: MirrorChanges,
): Promise<void> {
  const joined = await graph.write(async (g) => {
    const done: string[] = [];
    for (const [agentId, managerId] of wishes) {
      const ends = [await g.getNode('Agent', agentId), await g.getNode('Agent', managerId)];
      if (ends.some((end) => end === undefined)) continue;
      if (await g.reaches(agentId, managerId, 'MANAGES')) continue;
      await g.putEdge({ type: 'MANAGES', from: managerId, to: agentId, properties: {} });
      changes.relations.push({ type: 'MANAGES', from: managerId, to: agentId });
      done.push(agentId);
    }
    return done;
  });
  await dropPendingManagers(tx, joined);
  for (const [agentId, managerId] of wishes)
    if (!joined.includes(agentId)) await savePendingManager(tx, agentId, managerId);
}

/**
 * Mirrors one `aia.agents.registry.v1` record into the graph, in the consumer's transaction `tx`
 * (on PostgreSQL the graph writes are in it too): the agent's entry with the orchestrator's id
 * (owner `agent-orchestrator`; a new version when its card data or status changed), HAS_SKILL
 * edges to the Skill entries its card names (made when absent), MANAGES from its manager once
 * the manager is in the graph (until then the agent waits in `dkg_pending_managers`), and the
 * agent's evidence copied onto its skills. A retired agent stays, marked retired, with its
 * evidence. A record older than the revision the graph has changes nothing. Records are applied
 * one at a time (the mirror's lock), so a manager arriving after its reports finds them waiting.
 */
export async function mirrorAgent(
  context: DkgContext,
  tx: Database,
  record: AgentRegistryRecord,
): Promise<{ outcome: MirrorOutcome; changes: MirrorChanges }> {
  await lockAgentMirror(tx);
  await lockEvidenceOf(tx, record.agent_id);
  const graph = graphBeside(context, tx);
  const changes: MirrorChanges = { skillsCreated: [], relations: [] };
  const applied = await graph.write(async (g) => {
    // A Neo4j transaction may run again after a transient failure: start from nothing each time.
    changes.skillsCreated.length = 0;
    changes.relations.length = 0;
    return applyRecord(g, record, changes);
  });
  if (applied === 'older') return { outcome: 'stale', changes };
  const wishes = new Map(
    (await pendingManagers(tx)).map(({ agent_id, manager_id }) => [agent_id, manager_id]),
  );
  if (record.manager_id === null) {
    wishes.delete(record.agent_id);
    await dropPendingManagers(tx, [record.agent_id]);
  } else wishes.set(record.agent_id, record.manager_id);
  await joinManagers(graph, tx, wishes, changes);
  await copyEvidence(graph, tx, 'agent_skill', record.agent_id);
  await publishChanges(tx, graph.read, await subjectsOf(graph, tx, record, changes), MIRROR_OWNER);
  return { outcome: 'applied', changes };
}

/**
 * What to publish on `aia.dkg.changes.v1` after a record: the agent, the skills it made, and
 * every relation of the agent's own that changed, is set, or was last published set (a removal
 * by an earlier attempt of this record is published too). `publishChanges` writes only what
 * differs from what was published, once.
 */
async function subjectsOf(
  graph: GraphBeside,
  tx: Database,
  record: AgentRegistryRecord,
  changes: MirrorChanges,
): Promise<ChangeSubject[]> {
  const agentId = record.agent_id;
  const current = await graph.read(async (g) => [
    ...(await g.neighbours(agentId, { direction: 'out', types: ['HAS_SKILL'] })).map(
      ({ node }): MirroredRelation => ({ type: 'HAS_SKILL', from: agentId, to: node.id }),
    ),
    ...(await g.neighbours(agentId, { direction: 'in', types: ['MANAGES'] })).map(
      ({ node }): MirroredRelation => ({ type: 'MANAGES', from: node.id, to: agentId }),
    ),
  ]);
  const published = (await publishedAgentRelations(tx, agentId)).map(
    ({ type, from_id, to_id }): MirroredRelation => ({ type, from: from_id, to: to_id }),
  );
  const relations = new Map(
    [...changes.relations, ...current, ...published].map((r) => [`${r.type} ${r.from} ${r.to}`, r]),
  );
  return [
    entryChanged(agentId),
    ...changes.skillsCreated.map(entryChanged),
    ...[...relations.values()].map(({ type, from, to }) => entryRelationChanged(type, from, to)),
  ];
}
