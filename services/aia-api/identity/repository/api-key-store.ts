import type { Database } from '../../../platform/db.js';

/** An API key as stored: never its secret, only the secret's hash. */
export interface ApiKeyRow {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly secret_hash: string;
  readonly scopes: string[];
  readonly created_at: Date;
  readonly expires_at: Date;
  readonly last_used_at: Date | null;
  readonly revoked_at: Date | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
}

export async function insertApiKey(sql: Database, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await sql<ApiKeyRow[]>`
    insert into api_keys (id, owner, name, secret_hash, scopes, expires_at)
    values (${key.id}, ${key.owner}, ${key.name}, ${key.secretHash},
            ${sql.array([...key.scopes])}::text[], ${key.expiresAt})
    returning *`;
  if (!row) throw new Error(`API key ${key.id} was not inserted`);
  return row;
}

export async function findApiKey(sql: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`select * from api_keys where id = ${id}`;
  return row;
}

/** `owner`'s keys, newest first, revoked and expired ones included. */
export async function listApiKeys(sql: Database, owner: string): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select * from api_keys where owner = ${owner} order by created_at desc, id`;
}

/** Revokes `owner`'s key `id` (a second revocation keeps the first time); undefined if none. */
export async function revokeApiKey(
  sql: Database,
  owner: string,
  id: string,
): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now())
    where id = ${id} and owner = ${owner}
    returning *`;
  return row;
}

/**
 * Records that key `id` was used now, unless that was already recorded less than
 * `intervalSeconds` ago (by this replica or another): at most one write per interval per key.
 */
export async function touchApiKey(
  sql: Database,
  id: string,
  intervalSeconds: number,
): Promise<void> {
  await sql`
    update api_keys set last_used_at = now()
    where id = ${id}
      and (last_used_at is null or last_used_at < now() - make_interval(secs => ${intervalSeconds}))`;
}
