import type { GraphShape } from './graph-shape.js';

/**
 * A graph of the benchmark's make-up small enough for a test: 3 domains of 60 nodes and 150
 * edges, a tenth of the skills foreign so paths cross domains.
 */
export const TINY_SHAPE: GraphShape = {
  domains: 3,
  perDomain: { taskTypes: 2, skills: 8, tools: 4, strategies: 3, agents: 12, extraVersions: 4 },
  edgesPerDomain: 150,
  foreignSkillShare: 0.1,
  reportsPerManager: 3,
  maxToolsPerSkill: 2,
  toolsPerStrategy: 2,
  skillsPerStrategy: 2,
};
