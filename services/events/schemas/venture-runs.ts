import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * `aia.ventures.runs.v1` (keyed by run): a discovery run's progress, written with each step it
 * takes (started, fetched, clustered, scored, done) and when it fails. Later versions may only
 * add optional fields.
 */
export const ventureRunRecord = z.strictObject({
  run_id: uuid,
  state: z.enum(['running', 'succeeded', 'failed']),
  step: z.enum(['started', 'fetched', 'clustered', 'scored', 'done']),
  /** Items read from the sources in this run. */
  fetched: z.number().int().min(0),
  /** Themes found (clusters of signals). */
  clustered: z.number().int().min(0),
  /** Opportunities scored. */
  scored: z.number().int().min(0),
  /** Sources that failed in this run (the run went on without them). */
  failed_sources: z.number().int().min(0),
  at: timestamp,
});

export type VentureRunRecord = z.infer<typeof ventureRunRecord>;
