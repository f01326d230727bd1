import type { Database } from '../../../platform/db.js';
import { writeEvent } from '../../../platform/events/outbox.js';
import {
  type AuditEntry,
  type ChainedAuditRecord,
  type ChainHead,
  GATEWAY_CHAIN,
  linkAfter,
} from './chain.js';

/** One chain, one writer at a time: the transaction-scoped advisory lock every append takes. */
const CHAIN_LOCK = 'aia:audit:chain';

/**
 * Appends `entries`, in order, to the gateway's chain and publishes each on
 * `aia.audit.events.v1`, in one transaction: under the chain's advisory lock it reads the head,
 * links each record after the one before, inserts its row and its outbox event (keyed by actor).
 * Appends are thereby serialised, so seq has no gaps and every prev_hash is the hash committed
 * before it; a batch costs one commit. Returns the records written.
 */
export async function appendAuditRecords(
  sql: Database,
  entries: readonly AuditEntry[],
): Promise<ChainedAuditRecord[]> {
  return (await sql.begin(async (transaction) => {
    const tx = transaction as unknown as Database;
    await tx`select pg_advisory_xact_lock(hashtextextended(${CHAIN_LOCK}, 0))`;
    let head = await auditChainHead(tx);
    const written: ChainedAuditRecord[] = [];
    for (const entry of entries) {
      const record = linkAfter(head, entry);
      head = { seq: record.chain.seq, hash: record.chain.hash };
      written.push(record);
    }
    // Sent together, run in order on the transaction's connection (postgres.js pipelines them):
    // a batch costs about one round trip, not two per record.
    await Promise.all(
      written.flatMap((record) => [
        tx`
          insert into audit_records (seq, prev_hash, hash, actor, action, target, request_id,
                                     outcome_status, outcome_class, details, occurred_at)
          values (${record.chain.seq}, ${record.chain.prev_hash}, ${record.chain.hash},
                  ${record.actor}, ${record.action}, ${record.target}, ${record.request_id},
                  ${record.outcome.status}, ${record.outcome.class},
                  ${tx.json(record.details as Parameters<typeof tx.json>[0])}, ${record.occurred_at})`,
        writeEvent(tx, 'aia.audit.events.v1', record.actor, record, { producer: 'aia-api' }),
      ]),
    );
    return written;
  })) as ChainedAuditRecord[];
}

/** Appends one entry ({@link appendAuditRecords}). */
export async function appendAuditRecord(
  sql: Database,
  entry: AuditEntry,
): Promise<ChainedAuditRecord> {
  const [record] = await appendAuditRecords(sql, [entry]);
  return record as ChainedAuditRecord;
}

interface AuditRow {
  seq: string;
  prev_hash: string;
  hash: string;
  actor: string;
  action: string;
  target: string | null;
  request_id: string | null;
  outcome_status: number;
  outcome_class: ChainedAuditRecord['outcome']['class'];
  details: Record<string, unknown>;
  occurred_at: Date;
}

/** Up to `limit` records after seq `after`, in seq order, as they were hashed. */
export async function readAuditRecords(
  sql: Database,
  after: number,
  limit: number,
): Promise<ChainedAuditRecord[]> {
  const rows = await sql<AuditRow[]>`
    select seq, prev_hash, hash, actor, action, target, request_id, outcome_status,
           outcome_class, details, occurred_at
    from audit_records where seq > ${after} order by seq limit ${limit}`;
  return rows.map((row) => ({
    actor: row.actor,
    action: row.action,
    target: row.target,
    request_id: row.request_id,
    details: row.details,
    occurred_at: row.occurred_at.toISOString(),
    outcome: { status: row.outcome_status, class: row.outcome_class },
    chain: { name: GATEWAY_CHAIN, seq: Number(row.seq), prev_hash: row.prev_hash, hash: row.hash },
  }));
}

/** The last record's seq and hash, if any. */
export async function auditChainHead(sql: Database): Promise<ChainHead | undefined> {
  const [head] = await sql<{ seq: string; hash: string }[]>`
    select seq, hash from audit_records order by seq desc limit 1`;
  return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
}

/** The whole chain in seq order, `pageSize` records per read. */
export async function* auditRecordPages(
  sql: Database,
  pageSize = 1_000,
): AsyncGenerator<ChainedAuditRecord[]> {
  let after = 0;
  for (;;) {
    const page = await readAuditRecords(sql, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = (page.at(-1) as ChainedAuditRecord).chain.seq;
  }
}
