/**
 * How the benchmark's graph is made: `domains` alike areas of work (invoicing, search, ...), each
 * with its own agents, skills, tools, strategies and task types, every entry with its versions.
 * Most relations stay within a domain and a few agents hold skills of other domains, so a 3-hop
 * neighbourhood is a domain and the edges that leave it (hundreds to a few thousand nodes), not
 * the whole graph, as happens when 1,000,000 edges are spread at random over 100,000 nodes.
 */
export interface GraphShape {
  readonly domains: number;
  /** Nodes of each kind in one domain. */
  readonly perDomain: {
    readonly taskTypes: number;
    readonly skills: number;
    readonly tools: number;
    readonly strategies: number;
    readonly agents: number;
    /** Versions beyond each entry's first, spread over the domain's entries at random. */
    readonly extraVersions: number;
  };
  /** Edges in one domain: HAS_SKILL makes up what the other relations leave. */
  readonly edgesPerDomain: number;
  /** The share of an agent's skills that belong to another domain. */
  readonly foreignSkillShare: number;
  /** Agents one agent MANAGES (the hierarchy is a tree of this fan-out per domain). */
  readonly reportsPerManager: number;
  /** Tools each skill REQUIRES, from 1 to this many. */
  readonly maxToolsPerSkill: number;
  /** Tools each strategy USES. */
  readonly toolsPerStrategy: number;
  /** Skills each strategy APPLIES_TO (besides one task type). */
  readonly skillsPerStrategy: number;
}

/**
 * Issue 17's size: 100,000 nodes and 1,000,000 edges, in 250 domains of 400 nodes and 4,000
 * edges. Per domain: 90 agents, 60 skills, 16 tools, 10 strategies, 4 task types and 220
 * versions (each of the 176 entries' first, and 44 improvements). Ten edges a node on average
 * leaves about 38 skills per agent: fine-grained skills, 1 % of them from another domain (about
 * 35 such holdings per domain, enough that most domains are a few hops from each other).
 */
export const BENCH_SHAPE: GraphShape = {
  domains: 250,
  perDomain: { taskTypes: 4, skills: 60, tools: 16, strategies: 10, agents: 90, extraVersions: 44 },
  edgesPerDomain: 4000,
  foreignSkillShare: 0.01,
  reportsPerManager: 8,
  maxToolsPerSkill: 3,
  toolsPerStrategy: 3,
  skillsPerStrategy: 3,
};

/** Entries (the registries' nodes) in one domain. */
export const entriesPerDomain = ({ perDomain: p }: GraphShape): number =>
  p.skills + p.tools + p.strategies + p.agents;

/** All nodes in one domain: entries, their versions, task types. */
export const nodesPerDomain = (shape: GraphShape): number =>
  2 * entriesPerDomain(shape) + shape.perDomain.extraVersions + shape.perDomain.taskTypes;
