import type { GraphPath, Subgraph } from '../../services/dkg-manager/graph/graph-store.js';
import type { agentsForSkill } from '../../services/dkg-manager/operations/ranked-queries.js';

/** A page of the agents for a skill, as GET /v1/rankings/agents answers it. */
export type AgentRanking = Awaited<ReturnType<typeof agentsForSkill>>;

/**
 * The three queries the benchmark times, each answered two ways (through the GraphStore, and by
 * hand-written SQL) with the same answer, so their times compare like with like.
 */
export interface GraphQueries {
  /** The first `limit` active agents with the skill, best evidence first (Wilson lower bound). */
  rankAgents(skillId: string, limit: number): Promise<AgentRanking>;
  /** What lies within `hops` relations of `id`, and the relations among it. */
  neighbourhood(id: string, hops: number): Promise<Subgraph>;
  /** A shortest chain of relations, at most `maxHops` long. */
  shortestPath(from: string, to: string, maxHops: number): Promise<GraphPath | undefined>;
}
