import { z } from 'zod';
import { timestamp } from './fields.js';

/**
 * `aia.audit.events.v1` (keyed by actor): a state-changing action anywhere on the platform.
 * First draft until the services publish it; later versions may only add optional fields.
 * `details` must never hold secrets.
 */
export const auditEventRecord = z.strictObject({
  actor: z.string().min(1).max(256),
  action: z.string().min(1).max(200),
  /** The entity acted on, for example `account:<uuid>`; null when there is none. */
  target: z.string().max(500).nullable(),
  request_id: z.string().max(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  occurred_at: timestamp,
});

export type AuditEventRecord = z.infer<typeof auditEventRecord>;
