import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';
import type { PushAuthentication, PushConfig } from '../domain/push-config.js';

/** A notification a worker holds (leased) to send: the next one of its config's line. */
export interface HeldDelivery {
  /** The notification's id: the JWT's jti on every attempt. */
  readonly id: string;
  readonly taskId: string;
  readonly config: PushConfig;
  /** The task as it was saved (wire form, without history). */
  readonly task: JSONValue;
  /** Attempts so far, this one included. */
  readonly attempts: number;
}

interface HeldRow {
  id: string;
  task_id: string;
  config_id: string;
  url: string;
  token: string;
  authentication: JSONValue;
  task: JSONValue;
  attempts: number;
}

/**
 * Leases up to `limit` notifications that are due, at most one per config and only the first
 * not yet sent of its line (lowest `seq`), so each webhook hears of a task's changes in order.
 * Rows another replica is leasing are skipped; a lease runs out after `leaseSeconds` (a worker
 * that died) and the notification is sent again: at least once.
 */
export async function leaseDueDeliveries(
  sql: Database,
  { limit, leaseSeconds }: { limit: number; leaseSeconds: number },
): Promise<HeldDelivery[]> {
  const rows = await sql<HeldRow[]>`
    with due as (
      select d.id from a2a_push_deliveries d
       where d.next_attempt_at <= now()
         and (d.leased_until is null or d.leased_until < now())
         and not exists (
           select 1 from a2a_push_deliveries e
            where e.task_id = d.task_id and e.config_id = d.config_id and e.seq < d.seq)
       order by d.seq
       limit ${limit}
       for update of d skip locked
    )
    update a2a_push_deliveries d
       set leased_until = now() + make_interval(secs => ${leaseSeconds}),
           attempts = d.attempts + 1
      from due, a2a_push_configs c
     where d.id = due.id and c.task_id = d.task_id and c.id = d.config_id
    returning d.id, d.task_id, d.config_id, c.url, c.token, c.authentication, d.task, d.attempts`;
  return rows.map((row) => ({
    id: row.id,
    taskId: row.task_id,
    config: {
      id: row.config_id,
      url: row.url,
      token: row.token,
      authentication: (row.authentication ?? undefined) as PushAuthentication | undefined,
    },
    task: row.task,
    attempts: row.attempts,
  }));
}

/** Done with a notification (answered, refused or given up on): the next of its line is due. */
export async function dropDelivery(sql: Database, id: string): Promise<void> {
  await sql`delete from a2a_push_deliveries where id = ${id}`;
}

/** Sends the notification again after `delayMs`; the rest of its line waits for it. */
export async function retryDeliveryLater(
  sql: Database,
  id: string,
  { delayMs, error }: { delayMs: number; error: string },
): Promise<void> {
  await sql`
    update a2a_push_deliveries
       set next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}),
           leased_until = null, last_error = ${error.slice(0, 1000)}
     where id = ${id}`;
}
