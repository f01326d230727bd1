import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * `aia.performance.rankings.v1` (compacted, keyed by agent id): an agent's current rank and
 * score among all agents, written by the performance tracker whenever either changes. `score`
 * is the Wilson lower bound (95 %) of the agent's completion rate in the window. Later versions
 * may only add optional fields.
 */
export const performanceRankingRecord = z.strictObject({
  agent_id: uuid,
  rank: z.number().int().min(1),
  score: z.number().finite(),
  computed_at: timestamp,
  /** The window the score is over: `sliding` (the last days) or `decayed` (by half-life). */
  window: z.enum(['sliding', 'decayed']).optional(),
});

export type PerformanceRankingRecord = z.infer<typeof performanceRankingRecord>;
