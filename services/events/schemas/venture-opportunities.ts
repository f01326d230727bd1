import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * `aia.ventures.opportunities.v1` (keyed by opportunity): an opportunity found and scored by
 * venture discovery. First draft until venture discovery publishes it; later versions may only
 * add optional fields.
 */
export const ventureOpportunityRecord = z.strictObject({
  opportunity_id: uuid,
  title: z.string().min(1).max(500),
  market: z.string().min(1).max(200),
  /** 0 (worthless) to 100 (best seen). */
  score: z.number().min(0).max(100),
  found_at: timestamp,
});

export type VentureOpportunityRecord = z.infer<typeof ventureOpportunityRecord>;
