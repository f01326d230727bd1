import type { JSONValue } from 'postgres';
import type { Database } from '../../platform/db.js';
import type { PushAuthentication, PushConfig } from '../domain/push-config.js';

/**
 * Push notification configs (`a2a_push_configs`) of one task. These functions take the task's
 * id alone: the caller has found the task through the scoped task store first, so only its
 * owner reaches them.
 */

interface ConfigRow {
  id: string;
  url: string;
  token: string;
  authentication: JSONValue;
}

const configOf = (row: ConfigRow): PushConfig => ({
  id: row.id,
  url: row.url,
  token: row.token,
  authentication: (row.authentication ?? undefined) as PushAuthentication | undefined,
});

/**
 * Saves `config` for task `taskId` (replacing the config of the same id), unless the task has
 * `max` others already: then nothing changes and the answer is `'full'`. Concurrent saves for
 * one task take turns (an advisory lock), so the limit holds.
 */
export async function savePushConfig(
  tx: Database,
  taskId: string,
  config: PushConfig,
  max: number,
): Promise<'saved' | 'full'> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`a2a-push:${taskId}`}, 0))`;
  const [count] = await tx<{ others: number }[]>`
    select count(*)::int as others from a2a_push_configs
     where task_id = ${taskId} and id <> ${config.id}`;
  if ((count?.others ?? 0) >= max) return 'full';
  const authentication = config.authentication
    ? tx.json({
        scheme: config.authentication.scheme,
        credentials: config.authentication.credentials,
      })
    : null;
  await tx`
    insert into a2a_push_configs (task_id, id, url, token, authentication)
    values (${taskId}, ${config.id}, ${config.url}, ${config.token}, ${authentication})
    on conflict (task_id, id) do update set
      url = excluded.url, token = excluded.token, authentication = excluded.authentication`;
  return 'saved';
}

/** The config `id` of task `taskId`, or undefined. */
export async function findPushConfig(
  sql: Database,
  taskId: string,
  id: string,
): Promise<PushConfig | undefined> {
  const [row] = await sql<ConfigRow[]>`
    select id, url, token, authentication from a2a_push_configs
     where task_id = ${taskId} and id = ${id}`;
  return row && configOf(row);
}

/** Up to `limit` configs of task `taskId` in id order, after the id `after` when given. */
export async function listPushConfigs(
  sql: Database,
  taskId: string,
  { after, limit }: { after?: string | undefined; limit: number },
): Promise<PushConfig[]> {
  const rows = await sql<ConfigRow[]>`
    select id, url, token, authentication from a2a_push_configs
     where task_id = ${taskId} ${after === undefined ? sql`` : sql`and id > ${after}`}
     order by id
     limit ${limit}`;
  return rows.map(configOf);
}

/**
 * Deletes the config `id` of task `taskId` and, with it, every notification it had not sent yet.
 * False when there was none.
 */
export async function deletePushConfig(sql: Database, taskId: string, id: string) {
  const deleted = await sql`
    delete from a2a_push_configs where task_id = ${taskId} and id = ${id} returning 1`;
  return deleted.length > 0;
}
