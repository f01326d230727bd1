import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { type EvidenceSummary, summarise } from '../domain/evidence.js';
import { keyOfCursor, pageOf, type SortKey, type SortOrder } from '../domain/ranking.js';
import { nameKey, type RegistryName, registryOfLabel } from '../domain/registries.js';
import { MAX_CHAIN_LENGTH } from '../graph/graph-schema.js';
import type { GraphNode, GraphTx } from '../graph/graph-store.js';
import { findEntry, findVersion, versionOf } from '../repository/entry-nodes.js';
import { evidenceOfEdge } from '../repository/evidence-edges.js';
import { isRetired } from '../repository/mirrored-agents.js';
import type { DkgContext } from './dkg-context.js';

/** What the ranked queries work with: the graph, and whether evidence ranks (the flag). */
export interface RankingContext extends DkgContext {
  /** DKG_ENHANCED_ENABLED: rank by the success bound of the evidence, else by what is declared. */
  readonly enhancedRanking: boolean;
}

/** A 404 for an id or name given in a field, naming it (as a 422 would). */
export class UnknownEntryError extends AppError {
  constructor(field: string, reason: string) {
    super(404, 'not_found', `${field}: ${reason}`, {
      extensions: { errors: [{ field, reason }] },
    });
  }
}

/** One page of a ranked list. */
export interface Page {
  readonly limit: number;
  readonly cursor?: string;
}

const afterOf = (cursor: string | undefined, order: SortOrder): SortKey | undefined => {
  if (cursor === undefined) return undefined;
  const key = keyOfCursor(cursor, order);
  if (!key)
    throw new ValidationError([
      { field: 'cursor', reason: 'must be the next_cursor of a previous page of this list' },
    ]);
  return key;
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const nameOf = (node: GraphNode) => text(node.properties.name);

/** Orders of the ranked lists: each ends in the name and id, so no two rows tie. */
const ORDERS = {
  /** Success bound, then more runs, then the declared level. */
  agentsByEvidence: ['desc', 'desc', 'desc', 'asc', 'asc'],
  /** Declared level, then the success bound (only a tie-break). */
  agentsByLevel: ['desc', 'desc', 'asc', 'asc'],
  strategiesByEvidence: ['desc', 'desc', 'asc', 'asc'],
  strategiesByName: ['asc', 'asc'],
} as const satisfies Record<string, SortOrder>;

/** A row of the agents ranked for a skill. */
export interface RankedAgent extends EvidenceSummary {
  readonly agent: { readonly id: string; readonly name: string; readonly status: string };
  readonly level: number | null;
}

/**
 * The agents with a skill, best first: by the Wilson lower bound (95 %) of their success rate in
 * it when evidence ranks (`enhancedRanking`), else by their declared level. Each row shows the
 * numbers. Retired agents are left out unless asked for. 404 naming `skill_id` when no skill has
 * that id.
 */
export async function agentsForSkill(
  { graph, enhancedRanking }: RankingContext,
  skillId: string,
  { limit, cursor, includeRetired }: Page & { readonly includeRetired: boolean },
) {
  const order = enhancedRanking ? ORDERS.agentsByEvidence : ORDERS.agentsByLevel;
  const after = afterOf(cursor, order);
  const { skill, holders } = await graph.read(async (tx) => {
    const found = await tx.getNode('Skill', skillId);
    if (!found) throw new UnknownEntryError('skill_id', `no skill ${skillId}`);
    return {
      skill: found,
      holders: await tx.neighbours(skillId, { direction: 'in', types: ['HAS_SKILL'] }),
    };
  });
  const rows = holders
    .filter(({ node }) => node.label === 'Agent' && (includeRetired || !isRetired(node)))
    .map(({ node, edge }) => {
      const summary = summarise(evidenceOfEdge(edge.properties));
      const level = typeof edge.properties.level === 'number' ? edge.properties.level : null;
      const row: RankedAgent = {
        agent: {
          id: node.id,
          name: nameOf(node),
          status: text(node.properties.status) || 'active',
        },
        level,
        ...summary,
      };
      const bound = summary.success_lower_bound;
      const key: SortKey = enhancedRanking
        ? [bound, summary.runs, level ?? 0, nameKey(row.agent.name), node.id]
        : [level ?? 0, bound, nameKey(row.agent.name), node.id];
      return { row, key };
    });
  const page = pageOf(rows, order, { limit, ...(after ? { after } : {}) });
  return {
    skill: { id: skill.id, name: nameOf(skill) },
    ranked_by: enhancedRanking ? ('success_lower_bound' as const) : ('level' as const),
    agents: page.rows.map(({ row }) => row),
    next_cursor: page.next,
  };
}

/** A row of the strategies ranked for a task type. */
export interface RankedStrategy extends EvidenceSummary {
  readonly strategy: { readonly id: string; readonly name: string };
}

/**
 * The strategies that APPLY_TO a task type (by name), best first: by the Wilson lower bound of
 * their success rate for it when evidence ranks, else in name order (a strategy declares no
 * level). 404 naming `task_type` when no strategy applies to a task type of that name.
 */
export async function strategiesForTaskType(
  { graph, enhancedRanking }: RankingContext,
  taskType: string,
  { limit, cursor }: Page,
) {
  const order = enhancedRanking ? ORDERS.strategiesByEvidence : ORDERS.strategiesByName;
  const after = afterOf(cursor, order);
  const { node, appliers } = await graph.read(async (tx) => {
    const found = await tx.findByKey('TaskType', nameKey(taskType));
    if (!found)
      throw new UnknownEntryError('task_type', `no strategy applies to a task type '${taskType}'`);
    return {
      node: found,
      appliers: await tx.neighbours(found.id, { direction: 'in', types: ['APPLIES_TO'] }),
    };
  });
  const rows = appliers
    .filter(({ node: strategy }) => strategy.label === 'Strategy')
    .map(({ node: strategy, edge }) => {
      const summary = summarise(evidenceOfEdge(edge.properties));
      const row: RankedStrategy = {
        strategy: { id: strategy.id, name: nameOf(strategy) },
        ...summary,
      };
      const name = nameKey(row.strategy.name);
      const key: SortKey = enhancedRanking
        ? [summary.success_lower_bound, summary.runs, name, strategy.id]
        : [name, strategy.id];
      return { row, key };
    });
  const page = pageOf(rows, order, { limit, ...(after ? { after } : {}) });
  return {
    task_type: { id: node.id, name: nameOf(node) },
    ranked_by: enhancedRanking ? ('success_lower_bound' as const) : ('name' as const),
    strategies: page.rows.map(({ row }) => row),
    next_cursor: page.next,
  };
}

interface Named {
  readonly id: string;
  readonly name: string;
}
const named = (node: GraphNode): Named => ({ id: node.id, name: nameOf(node) });
const byName = (a: Named, b: Named) =>
  nameKey(a.name) < nameKey(b.name)
    ? -1
    : nameKey(a.name) > nameKey(b.name)
      ? 1
      : a.id < b.id
        ? -1
        : 1;

/**
 * What a strategy needs: the tools it USES, and the skills it APPLIES_TO with the tools those
 * REQUIRE; each tool says why it is needed (`uses`, and the skills that require it). Task types
 * it applies to are listed too. 404 naming `id` for an unknown strategy.
 */
export async function strategyNeeds({ graph }: DkgContext, strategyId: string) {
  return graph.read(async (tx) => {
    const strategy = await tx.getNode('Strategy', strategyId);
    if (!strategy) throw new UnknownEntryError('id', `no strategy ${strategyId}`);
    const uses = await tx.neighbours(strategyId, { direction: 'out', types: ['USES'] });
    const applies = await tx.neighbours(strategyId, { direction: 'out', types: ['APPLIES_TO'] });
    const tools = new Map<string, { tool: GraphNode; uses: boolean; requiredBy: Named[] }>();
    const need = (tool: GraphNode) => {
      const known = tools.get(tool.id) ?? { tool, uses: false, requiredBy: [] };
      tools.set(tool.id, known);
      return known;
    };
    for (const { node } of uses) need(node).uses = true;
    const skills = applies.filter(({ node }) => node.label === 'Skill').map(({ node }) => node);
    for (const skill of skills)
      for (const { node } of await tx.neighbours(skill.id, {
        direction: 'out',
        types: ['REQUIRES'],
      }))
        need(node).requiredBy.push(named(skill));
    return {
      strategy: named(strategy),
      tools: [...tools.values()]
        .map(({ tool, uses: used, requiredBy }) => ({
          ...named(tool),
          uses: used,
          required_by: requiredBy.sort(byName),
        }))
        .sort(byName),
      skills: skills.map(named).sort(byName),
      task_types: applies
        .filter(({ node }) => node.label === 'TaskType')
        .map(({ node }) => named(node))
        .sort(byName),
    };
  });
}

/** A version in a lineage: how far back it is, and what it derives from. */
export interface LineageStep {
  readonly id: string;
  readonly entry_id: string;
  readonly registry: RegistryName | null;
  readonly number: number;
  readonly name: string;
  readonly created_by: string;
  readonly created_at: string;
  /** 0 for the version asked about, 1 for what it derives from, and so on. */
  readonly depth: number;
  readonly derived_from: readonly string[];
}

/**
 * Walks DERIVED_FROM back from `start`, nearest first, at most MAX_CHAIN_LENGTH versions;
 * `complete` is false when versions further back were left out.
 */
async function lineageFrom(
  tx: GraphTx,
  start: GraphNode,
): Promise<{ steps: LineageStep[]; complete: boolean }> {
  const steps: LineageStep[] = [];
  const registries = new Map<string, RegistryName | null>();
  // Breadth first: each version once, at its nearest depth.
  const queue: { node: GraphNode; depth: number }[] = [{ node: start, depth: 0 }];
  const seen = new Set([start.id]);
  while (queue.length > 0 && steps.length < MAX_CHAIN_LENGTH) {
    const { node, depth } = queue.shift() as { node: GraphNode; depth: number };
    const version = versionOf(node);
    const parents = await tx.neighbours(node.id, { direction: 'out', types: ['DERIVED_FROM'] });
    if (!registries.has(version.entry_id)) {
      const entry = await tx.findNode(version.entry_id);
      registries.set(version.entry_id, entry ? (registryOfLabel(entry.label) ?? null) : null);
    }
    steps.push({
      id: version.id,
      entry_id: version.entry_id,
      registry: registries.get(version.entry_id) ?? null,
      number: version.number,
      name: version.name,
      created_by: version.created_by,
      created_at: version.created_at,
      depth,
      derived_from: parents.map(({ node: parent }) => parent.id),
    });
    for (const { node: parent } of parents)
      if (!seen.has(parent.id)) {
        seen.add(parent.id);
        queue.push({ node: parent, depth: depth + 1 });
      }
  }
  return { steps, complete: queue.length === 0 };
}

/**
 * An entry's lineage: from one of its versions (default the current one) back along
 * DERIVED_FROM, through its earlier versions and any version of another entry it was derived
 * from, nearest first (at most MAX_CHAIN_LENGTH versions). 404 for an unknown entry or version.
 */
export async function lineageOf(
  { graph }: DkgContext,
  registry: RegistryName,
  entryId: string,
  number: number | undefined,
) {
  return graph.read(async (tx) => {
    const entry = await findEntry(tx, registry, entryId);
    if (!entry) throw new NotFoundError(`no ${registry} entry ${entryId}`);
    const version = await findVersion(tx, entryId, number ?? entry.current_version);
    if (!version)
      throw new UnknownEntryError(
        'version',
        `${registry} entry ${entryId} has no version ${number}`,
      );
    const start = await tx.getNode('Version', version.id);
    const { steps, complete } = start
      ? await lineageFrom(tx, start)
      : { steps: [], complete: true };
    return { entry_id: entry.id, version: version.number, lineage: steps, complete };
  });
}
