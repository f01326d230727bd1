import type { Database } from '../../../platform/db.js';

/** A machine client as stored: never its secret, only the secret's hash. */
export interface ClientRow {
  readonly id: string;
  readonly name: string;
  readonly secret_hash: string;
  readonly role: string | null;
  readonly scopes: string[];
  readonly created_by: string;
  readonly created_at: Date;
  readonly revoked_at: Date | null;
}

export interface NewClient {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  readonly role: string | undefined;
  readonly scopes: readonly string[];
  readonly createdBy: string;
}

export async function insertClient(sql: Database, client: NewClient): Promise<ClientRow> {
  const [row] = await sql<ClientRow[]>`
    insert into oauth_clients (id, name, secret_hash, role, scopes, created_by)
    values (${client.id}, ${client.name}, ${client.secretHash}, ${client.role ?? null},
            ${sql.array([...client.scopes])}::text[], ${client.createdBy})
    returning *`;
  if (!row) throw new Error(`client ${client.id} was not inserted`);
  return row;
}

/** The client with `id`, revoked or not; undefined when there is none. */
export async function findClient(sql: Database, id: string): Promise<ClientRow | undefined> {
  const [row] = await sql<ClientRow[]>`select * from oauth_clients where id = ${id}`;
  return row;
}

/** Revokes a client (once: a second revocation keeps the first time). */
export async function revokeClient(sql: Database, id: string): Promise<ClientRow | undefined> {
  const [row] = await sql<ClientRow[]>`
    update oauth_clients set revoked_at = coalesce(revoked_at, now()) where id = ${id}
    returning *`;
  return row;
}
