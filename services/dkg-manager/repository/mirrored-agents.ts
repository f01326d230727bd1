import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import { type Entry, nameKey } from '../domain/registries.js';
import type { GraphNode } from '../graph/graph-store.js';
import { entryNode } from './entry-nodes.js';

/** The owner of every entry the mirror makes: agents and the skills their cards name. */
export const MIRROR_OWNER = 'agent-orchestrator';

/** The level of a HAS_SKILL the card does not give one for: the middle of 1 (aware) to 5. */
export const DEFAULT_MIRRORED_LEVEL = 3;

/** A card skill as a mirrored agent's versions keep it. */
export type CardSkill = AgentRegistryRecord['skills'][number];

/** What a mirrored agent's version holds in its `spec`: the card data beyond name and description. */
export interface MirroredAgentSpec {
  readonly card_version: string;
  readonly skills: readonly CardSkill[];
  readonly status: AgentRegistryRecord['status'];
}

/** The spec of a version made from `record`, in a fixed shape (so equal specs compare equal). */
export const mirroredSpecOf = (record: AgentRegistryRecord): MirroredAgentSpec => ({
  card_version: record.version,
  skills: record.skills.map(({ id, name, tags, level }) => ({
    id,
    name,
    tags: [...tags],
    ...(level === undefined ? {} : { level }),
  })),
  status: record.status,
});

/** The card skills a version's spec lists (none for an agent registered through the API). */
export function cardSkillsOf(spec: Readonly<Record<string, unknown>>): CardSkill[] {
  const skills = spec.skills;
  if (!Array.isArray(skills)) return [];
  return skills.filter(
    (skill): skill is CardSkill =>
      typeof skill === 'object' &&
      skill !== null &&
      typeof (skill as CardSkill).id === 'string' &&
      typeof (skill as CardSkill).name === 'string',
  );
}

/**
 * A mirrored agent's node: the entry's properties, keyed by its name followed by its id (the
 * orchestrator lets agents share a name: they list in name order and never clash), with the
 * record's `status` and `revision` (the last applied; an older record changes nothing).
 */
export function mirroredAgentNode(
  entry: Entry,
  { status, revision }: Pick<AgentRegistryRecord, 'status' | 'revision'>,
): GraphNode {
  const node = entryNode(entry);
  return {
    ...node,
    properties: {
      ...node.properties,
      key: `${nameKey(entry.name)} ${entry.id}`,
      status,
      revision,
    },
  };
}

/** The revision of the record a mirrored agent's node was last written from, if any. */
export const mirroredRevisionOf = (node: GraphNode): number | undefined =>
  typeof node.properties.revision === 'number' ? node.properties.revision : undefined;

/** Whether an Agent node is retired (only mirrored agents can be). */
export const isRetired = (node: GraphNode): boolean => node.properties.status === 'retired';
