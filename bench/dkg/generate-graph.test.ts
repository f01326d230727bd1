import { describe, expect, it } from 'vitest';
import { evidenceOfEdge } from '../../services/dkg-manager/repository/evidence-edges.js';
import { generateGraph } from './generate-graph.js';
import { entriesPerDomain, nodesPerDomain } from './graph-shape.js';
import { TINY_SHAPE } from './tiny-shape.js';

const countBy = <T>(items: Iterable<T>, key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe("the DKG benchmark's generated graph", () => {
  const graph = generateGraph(TINY_SHAPE, 5);
  const nodes = [...graph.nodes()];
  const edges = [...graph.edges()];
  const { domains, perDomain: p } = TINY_SHAPE;

  it('has the shape asked for: nodes of each kind per domain, edges per domain', () => {
    expect(nodes).toHaveLength(domains * nodesPerDomain(TINY_SHAPE));
    expect(edges).toHaveLength(domains * TINY_SHAPE.edgesPerDomain);
    expect(countBy(nodes, (node) => node.label)).toEqual({
      TaskType: domains * p.taskTypes,
      Skill: domains * p.skills,
      Tool: domains * p.tools,
      Strategy: domains * p.strategies,
      Agent: domains * p.agents,
      Version: domains * (entriesPerDomain(TINY_SHAPE) + p.extraVersions),
    });
    const types = countBy(edges, (edge) => edge.type);
    expect(types.MANAGES).toBe(domains * (p.agents - 1));
    expect(types.USES).toBe(domains * p.strategies * TINY_SHAPE.toolsPerStrategy);
    expect(types.DERIVED_FROM).toBe(domains * p.extraVersions);
  });

  it('joins existing nodes, each edge once, with evidence a ranking can read', () => {
    const ids = new Set(nodes.map((node) => node.id));
    expect(ids.size).toBe(nodes.length);
    expect(edges.filter((edge) => !ids.has(edge.from) || !ids.has(edge.to))).toEqual([]);
    expect(new Set(edges.map((edge) => `${edge.type} ${edge.from} ${edge.to}`)).size).toBe(
      edges.length,
    );
    const holdings = edges.filter((edge) => edge.type === 'HAS_SKILL');
    const evidence = holdings.flatMap(({ properties }) => {
      const totals = evidenceOfEdge(properties);
      return totals ? [totals] : [];
    });
    for (const { properties } of holdings) {
      expect(properties.level).toBeGreaterThanOrEqual(1);
      expect(properties.level).toBeLessThanOrEqual(5);
    }
    for (const { runs, successes, failures } of evidence) {
      expect(successes).toBeGreaterThanOrEqual(0);
      expect(successes + failures).toBe(runs);
    }
    // Some agents have no runs in a skill yet, some many.
    expect(evidence.length).toBeLessThan(holdings.length);
    expect(evidence.some(({ runs }) => runs > 100)).toBe(true);
  });

  it('is the same graph for the same seed, another for another seed', () => {
    const again = generateGraph(TINY_SHAPE, 5);
    expect([...again.edges()]).toEqual(edges);
    expect([...again.nodes()]).toEqual(nodes);
    const other = [...generateGraph(TINY_SHAPE, 6).edges()];
    expect(other).not.toEqual(edges);
  });
});
