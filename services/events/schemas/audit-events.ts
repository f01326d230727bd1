import { z } from 'zod';
import { timestamp } from './fields.js';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 digest in lower-case hex');

/** How the action ended: the HTTP status answered, and its class. */
export const auditOutcome = z.strictObject({
  status: z.int().min(100).max(599),
  class: z.enum(['informational', 'success', 'redirection', 'client_error', 'server_error']),
});

/**
 * Where the record sits in its producer's hash chain (docs/gateway.md, "Protection and audit"):
 * `hash` is the SHA-256 of the canonical JSON (RFC 8785) of the whole record without `hash`, so
 * it covers `prev_hash`, and through it every record before.
 */
export const auditChainLink = z.strictObject({
  /** The producer's chain (`aia-api`). */
  name: z.string().min(1).max(100),
  /** 1, 2, 3, … without gaps. */
  seq: z.int().positive(),
  /** The previous record's `hash`; 64 zeros for the first. */
  prev_hash: sha256Hex,
  hash: sha256Hex,
});

/**
 * `aia.audit.events.v1` (keyed by actor): a state-changing action anywhere on the platform.
 * The gateway publishes every state-changing call it routes or serves, with its `outcome` and its
 * place in the gateway's hash chain (`chain`); both are optional for producers that keep no chain.
 * `details` must never hold secrets.
 */
export const auditEventRecord = z.strictObject({
  actor: z.string().min(1).max(256),
  action: z.string().min(1).max(200),
  /** The entity acted on, for example `account:<uuid>` or a gateway path; null when there is none. */
  target: z.string().max(500).nullable(),
  request_id: z.string().max(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  occurred_at: timestamp,
  outcome: auditOutcome.optional(),
  chain: auditChainLink.optional(),
});

export type AuditEventRecord = z.infer<typeof auditEventRecord>;
