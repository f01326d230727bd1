import type { Database } from '../../platform/db.js';

/** Pending transfers whose timeout has passed, oldest first, at most `limit`. */
export async function dueTimeouts(sql: Database, limit: number): Promise<string[]> {
  const rows = await sql<{ transfer_id: string }[]>`
    select transfer_id from pending_timeouts where timeout_at <= now()
     order by timeout_at limit ${limit}`;
  return rows.map((row) => row.transfer_id);
}

/** Drops queue rows of pending transfers that were resolved some other way. */
export async function dropTimeouts(sql: Database, transferIds: readonly string[]): Promise<void> {
  if (transferIds.length === 0) return;
  await sql`delete from pending_timeouts where transfer_id = any(${transferIds as string[]}::uuid[])`;
}
