import type { Database } from '../../platform/db.js';
import type { AuditEntry } from './transfer-store.js';

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  request_id: string | null;
  ledger: string | null;
  details: Record<string, unknown>;
}

/** Records an operation that wrote no transfer (transfers record theirs with their own write). */
export async function insertAudit(sql: Database, entry: AuditEntry): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into audit_log (actor, action, request_id, ledger, details)
    values (${entry.actor}, ${entry.action}, ${entry.requestId ?? null}, ${entry.ledger ?? null},
            ${sql.json((entry.details ?? {}) as Parameters<typeof sql.json>[0])})
    returning id`;
  return (row as { id: string }).id;
}

/** Newest first, entries with an id below the cursor. */
export async function listAudit(
  sql: Database,
  before: string | undefined,
  limit: number,
): Promise<AuditRow[]> {
  return sql<AuditRow[]>`
    select * from audit_log where id < ${before ?? '9223372036854775807'} order by id desc limit ${limit}`;
}
