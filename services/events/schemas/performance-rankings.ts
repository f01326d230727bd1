import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * `aia.performance.rankings.v1` (compacted, keyed by agent id): an agent's current rank and
 * score. First draft until the performance tracker publishes it; later versions may only add
 * optional fields.
 */
export const performanceRankingRecord = z.strictObject({
  agent_id: uuid,
  rank: z.number().int().min(1),
  score: z.number().finite(),
  computed_at: timestamp,
});

export type PerformanceRankingRecord = z.infer<typeof performanceRankingRecord>;
