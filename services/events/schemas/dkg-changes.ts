import { z } from 'zod';
import { timestamp } from './fields.js';

/**
 * `aia.dkg.changes.v1` (keyed by registry entry): a change to the skill, tool or strategy
 * registry. First draft until the DKG manager publishes it; later versions may only add optional
 * fields.
 */
export const dkgChangeRecord = z.strictObject({
  entry_id: z.string().min(1).max(200),
  registry: z.enum(['skill', 'tool', 'strategy']),
  change: z.enum(['created', 'updated', 'deleted']),
  /** The entry's version after the change. */
  version: z.number().int().min(1),
  changed_at: timestamp,
});

export type DkgChangeRecord = z.infer<typeof dkgChangeRecord>;
