import type { EntryVersion, RegistryName } from '../../services/dkg-manager/domain/registries.js';
import { nameKey } from '../../services/dkg-manager/domain/registries.js';
import type { NodeLabel } from '../../services/dkg-manager/graph/graph-schema.js';
import type {
  GraphEdge,
  GraphNode,
  Properties,
} from '../../services/dkg-manager/graph/graph-store.js';
import { entryNode, versionNode } from '../../services/dkg-manager/repository/entry-nodes.js';
import { evidenceProperties } from '../../services/dkg-manager/repository/evidence-edges.js';
import { nameBasedUuid } from '../../services/platform/name-based-uuid.js';
import { type GraphShape, nodesPerDomain } from './graph-shape.js';
import { type SeededRandom, seededRandom, seedFor } from './seeded-random.js';

/** A generated graph: its size, and its nodes and edges as generators (each call starts over). */
export interface GeneratedGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  nodes(): Generator<GraphNode>;
  edges(): Generator<GraphEdge>;
}

/** The ids of one domain's nodes, and how many versions each entry has. */
interface DomainPlan {
  readonly taskTypes: readonly string[];
  readonly skills: readonly string[];
  readonly tools: readonly string[];
  readonly strategies: readonly string[];
  readonly agents: readonly string[];
  /** Entry id → its version ids, oldest first. */
  readonly versions: ReadonlyMap<string, readonly string[]>;
}

const REGISTRY_OF: Readonly<Record<Exclude<NodeLabel, 'TaskType' | 'Version'>, RegistryName>> = {
  Skill: 'skills',
  Tool: 'tools',
  Strategy: 'strategies',
  Agent: 'agents',
};
type EntryLabel = keyof typeof REGISTRY_OF;

const WORDS = [
  'invoice',
  'parsing',
  'search',
  'ranking',
  'summary',
  'translation',
  'review',
  'planning',
  'forecast',
  'audit',
  'routing',
  'extraction',
  'billing',
  'support',
  'triage',
  'compliance',
  'pricing',
  'scheduling',
  'reporting',
  'labeling',
  'testing',
  'deployment',
  'analysis',
  'mapping',
] as const;
/** When the generated entries say they were created: fixed, so runs are identical. */
const EPOCH_MS = Date.UTC(2026, 0, 1);
/** Skill popularity within a domain falls as 1 / rank^this: a few common skills, a long tail. */
const POPULARITY_EXPONENT = 0.7;
/** Runs recorded on a HAS_SKILL edge are log-uniform from 0 to this. */
const MAX_RUNS = 500;
const MAX_LEVEL = 5;
/** A run's cost, in millionths of an AIA: from 100 to this. */
const MAX_COST_MICROS = 50_000;
const MAX_LATENCY_MS = 30_000;
const MICROS = 1_000_000n;

const idOf = (...parts: readonly (string | number)[]) =>
  nameBasedUuid(`dkg-bench ${parts.join(' ')}`);
const words = (random: SeededRandom, count: number) =>
  Array.from({ length: count }, () => random.pick(WORDS));
const at = (random: SeededRandom) =>
  new Date(EPOCH_MS + random.below(365 * 24 * 3600) * 1000).toISOString();

/** `count` distinct indexes below `n`, index j drawn with weight `weight(j)` (Efraimidis–Spirakis). */
function weightedSample(
  random: SeededRandom,
  n: number,
  count: number,
  weight: (index: number) => number,
): number[] {
  const keyed = Array.from({ length: n }, (_, j) => ({
    j,
    key: Math.log(random.next() || Number.MIN_VALUE) / weight(j),
  }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, count).map(({ j }) => j);
}

/** Per-domain edge counts of every relation but HAS_SKILL, which fills up to edgesPerDomain. */
function fixedEdges(shape: GraphShape, requires: number): number {
  const p = shape.perDomain;
  const entries = p.skills + p.tools + p.strategies + p.agents;
  return (
    entries +
    p.extraVersions + // HAS_VERSION
    p.extraVersions + // DERIVED_FROM
    (p.agents - 1) + // MANAGES
    requires +
    p.strategies * shape.toolsPerStrategy + // USES
    p.strategies * (1 + shape.skillsPerStrategy) // APPLIES_TO
  );
}

/**
 * The graph `shape` describes, the same for the same `seed`: nodes carry what the registries
 * store (entries and versions as `entryNode`/`versionNode` make them), HAS_SKILL edges a level
 * and the evidence the ranked queries read (`evidence_runs`, `evidence_successes`, ...).
 */
export function generateGraph(shape: GraphShape, seed: number): GeneratedGraph {
  const p = shape.perDomain;
  const plans: DomainPlan[] = Array.from({ length: shape.domains }, (_, d) => {
    const random = seededRandom(seedFor(seed, 'plan', d));
    const ids = (kind: string, count: number) =>
      Array.from({ length: count }, (_, i) => idOf(kind, d, i));
    const plan = {
      taskTypes: ids('task-type', p.taskTypes),
      skills: ids('skill', p.skills),
      tools: ids('tool', p.tools),
      strategies: ids('strategy', p.strategies),
      agents: ids('agent', p.agents),
    };
    const entries = [...plan.skills, ...plan.tools, ...plan.strategies, ...plan.agents];
    const counts = new Map(entries.map((id) => [id, 1]));
    for (let i = 0; i < p.extraVersions; i++) {
      const id = random.pick(entries);
      counts.set(id, (counts.get(id) ?? 1) + 1);
    }
    const versions = new Map(
      entries.map((id) => [
        id,
        Array.from({ length: counts.get(id) ?? 1 }, (_, n) => idOf('version', id, n + 1)),
      ]),
    );
    return { ...plan, versions };
  });

  function* domainNodes(d: number): Generator<GraphNode> {
    const plan = plans[d] as DomainPlan;
    const random = seededRandom(seedFor(seed, 'nodes', d));
    for (const [i, id] of plan.taskTypes.entries()) {
      const name = `${words(random, 2).join(' ')} task ${d}-${i}`;
      yield { label: 'TaskType', id, properties: { key: nameKey(name), name } };
    }
    const entries: [EntryLabel, readonly string[]][] = [
      ['Skill', plan.skills],
      ['Tool', plan.tools],
      ['Strategy', plan.strategies],
      ['Agent', plan.agents],
    ];
    for (const [label, ids] of entries) {
      for (const [i, id] of ids.entries()) {
        const name = `${words(random, 2).join(' ')} ${label.toLowerCase()} ${d}-${i}`;
        const description = `${label} for ${words(random, 8).join(', ')} in domain ${d}.`;
        const tags = words(random, 3);
        const owner = `team-${d}`;
        const created = at(random);
        const versionIds = plan.versions.get(id) ?? [];
        yield entryNode({
          id,
          registry: REGISTRY_OF[label],
          name,
          description,
          tags,
          owner,
          current_version: versionIds.length,
          created_at: created,
          updated_at: created,
        });
        for (const [n, versionId] of versionIds.entries()) {
          const version: EntryVersion = {
            id: versionId,
            entry_id: id,
            number: n + 1,
            name,
            description,
            tags,
            spec: { inputs: words(random, 2), timeout_s: 10 + random.below(300), revision: n + 1 },
            created_by: `user-${random.below(1000)}`,
            created_at: created,
          };
          yield versionNode(version);
        }
      }
    }
  }

  const edge = (type: GraphEdge['type'], from: string, to: string, properties: Properties = {}) =>
    ({ type, from, to, properties }) satisfies GraphEdge;

  /**
   * An agent's level in a skill and, when it has runs (most have), the evidence the mirror copies
   * onto the edge (`evidenceProperties`): runs log-uniform, successes around the agent's own rate.
   */
  const hasSkillProperties = (random: SeededRandom): Properties => {
    const level = 1 + random.below(MAX_LEVEL);
    const runs = Math.floor(Math.exp(random.next() * Math.log(MAX_RUNS + 1))) - 1;
    if (runs === 0) return { level };
    const rate = 0.4 + 0.58 * random.next();
    const spread = Math.sqrt(runs * rate * (1 - rate));
    const gauss =
      Math.sqrt(-2 * Math.log(random.next() || Number.MIN_VALUE)) *
      Math.cos(2 * Math.PI * random.next());
    const successes = Math.min(runs, Math.max(0, Math.round(runs * rate + spread * gauss)));
    const rated = Math.floor(runs * random.next());
    const costMicros = BigInt(100 + random.below(MAX_COST_MICROS));
    const decimal = (micros: bigint, places: number) =>
      `${micros / MICROS}.${String(micros % MICROS)
        .padStart(6, '0')
        .padEnd(places, '0')}`;
    const latencyMax = 1 + random.below(MAX_LATENCY_MS);
    return {
      level,
      ...evidenceProperties(
        {
          runs,
          successes,
          failures: runs - successes,
          quality_sum: Math.round(rated * rate * 1000) / 1000,
          quality_count: rated,
          cost_sum: decimal(costMicros * BigInt(runs), 6),
          mean_cost: decimal(costMicros, 18),
          latency_sum_ms: runs * Math.ceil(latencyMax / 2),
          latency_max_ms: latencyMax,
        },
        at(random),
      ),
    };
  };

  function* domainEdges(d: number): Generator<GraphEdge> {
    const plan = plans[d] as DomainPlan;
    const random = seededRandom(seedFor(seed, 'edges', d));
    const distinct = <T>(items: readonly T[], count: number) =>
      weightedSample(random, items.length, Math.min(count, items.length), () => 1).map(
        (j) => items[j] as T,
      );
    for (const [entry, versions] of plan.versions) {
      for (const [n, version] of versions.entries()) {
        yield edge('HAS_VERSION', entry, version);
        if (n > 0) yield edge('DERIVED_FROM', version, versions[n - 1] as string);
      }
    }
    for (const [k, agent] of plan.agents.entries())
      if (k > 0)
        yield edge(
          'MANAGES',
          plan.agents[Math.floor((k - 1) / shape.reportsPerManager)] as string,
          agent,
        );
    let requires = 0;
    for (const skill of plan.skills) {
      for (const tool of distinct(plan.tools, 1 + random.below(shape.maxToolsPerSkill))) {
        requires++;
        yield edge('REQUIRES', skill, tool);
      }
    }
    for (const strategy of plan.strategies) {
      for (const tool of distinct(plan.tools, shape.toolsPerStrategy))
        yield edge('USES', strategy, tool);
      yield edge('APPLIES_TO', strategy, random.pick(plan.taskTypes));
      for (const skill of distinct(plan.skills, shape.skillsPerStrategy))
        yield edge('APPLIES_TO', strategy, skill);
    }
    yield* hasSkillEdges(d, random, shape.edgesPerDomain - fixedEdges(shape, requires));
  }

  function* hasSkillEdges(d: number, random: SeededRandom, total: number): Generator<GraphEdge> {
    const plan = plans[d] as DomainPlan;
    const agents = plan.agents.length;
    const cap = plan.skills.length;
    if (total < agents || total > agents * cap)
      throw new Error(
        `a domain's HAS_SKILL edges (${total}) must be from one to ${cap} per agent: change edgesPerDomain`,
      );
    // Each agent's share between half and one and a half times the mean, rounded to sum to total.
    const weights = plan.agents.map(() => 0.5 + random.next());
    const sum = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map((w) => Math.max(1, Math.min(cap, Math.floor((total * w) / sum))));
    let left = total - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; left !== 0; i = (i + 1) % agents) {
      const step = Math.sign(left);
      const next = (counts[i] as number) + step;
      if (next >= 1 && next <= cap) {
        counts[i] = next;
        left -= step;
      }
    }
    for (const [i, agent] of plan.agents.entries()) {
      const count = counts[i] as number;
      let foreign = 0;
      for (let k = 0; k < count; k++) if (random.next() < shape.foreignSkillShare) foreign++;
      if (shape.domains === 1) foreign = 0;
      const own = Math.min(count - foreign, plan.skills.length);
      foreign = count - own;
      for (const j of weightedSample(
        random,
        plan.skills.length,
        own,
        (r) => (r + 1) ** -POPULARITY_EXPONENT,
      ))
        yield edge('HAS_SKILL', agent, plan.skills[j] as string, hasSkillProperties(random));
      const taken = new Set<string>();
      while (taken.size < foreign) {
        const other = (d + 1 + random.below(shape.domains - 1)) % shape.domains;
        const skill = random.pick((plans[other] as DomainPlan).skills);
        if (taken.has(skill)) continue;
        taken.add(skill);
        yield edge('HAS_SKILL', agent, skill, hasSkillProperties(random));
      }
    }
  }

  return {
    nodeCount: shape.domains * nodesPerDomain(shape),
    edgeCount: shape.domains * shape.edgesPerDomain,
    *nodes() {
      for (let d = 0; d < shape.domains; d++) yield* domainNodes(d);
    },
    *edges() {
      for (let d = 0; d < shape.domains; d++) yield* domainEdges(d);
    },
  };
}
