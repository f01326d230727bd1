import { createHash } from 'node:crypto';
import type { AuditEventRecord } from '../../../events/schemas/audit-events.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/** The gateway's one chain: the `chain.name` of every record it writes. */
export const GATEWAY_CHAIN = 'aia-api';

/** `prev_hash` of the first record: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is known of an audited call before it takes its place in the chain. */
export type AuditEntry = Omit<AuditEventRecord, 'chain'> &
  Required<Pick<AuditEventRecord, 'outcome'>>;

/** A record with its place in the chain: what the table holds and the topic carries. */
export type ChainedAuditRecord = AuditEntry & {
  readonly chain: NonNullable<AuditEventRecord['chain']>;
};

/** The last record of a chain, or none yet. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The SHA-256 (lower-case hex) of the canonical JSON (RFC 8785) of `record` without
 * `chain.hash`: the record's own fields and its link to the one before.
 */
export function recordHash(
  record: Omit<ChainedAuditRecord, 'chain'> & {
    readonly chain: Omit<ChainedAuditRecord['chain'], 'hash'>;
  },
): string {
  const { name, seq, prev_hash } = record.chain;
  const hashed = { ...record, chain: { name, seq, prev_hash } };
  return createHash('sha256')
    .update(canonicalJson(hashed as unknown as JsonValue), 'utf8')
    .digest('hex');
}

/** `entry` linked after `head` (the first record when there is none), its hash computed. */
export function linkAfter(
  head: ChainHead | undefined,
  entry: AuditEntry,
  name: string = GATEWAY_CHAIN,
): ChainedAuditRecord {
  const link = { name, seq: (head?.seq ?? 0) + 1, prev_hash: head?.hash ?? GENESIS_HASH };
  return { ...entry, chain: { ...link, hash: recordHash({ ...entry, chain: link }) } };
}
