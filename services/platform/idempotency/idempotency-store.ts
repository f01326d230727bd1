import type { Database } from '../db.js';

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'mismatch' };

/**
 * Claims `key` for this caller inside the operation's transaction. A concurrent request with the
 * same key waits on the unique index until the first commits, then replays its response; if the
 * first rolled back, the second claims the key itself.
 */
export async function claimIdempotencyKey(
  sql: Database,
  subject: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  const inserted = await sql`
    insert into idempotency_keys (subject, key, fingerprint) values (${subject}, ${key}, ${fingerprint})
    on conflict do nothing returning 1 as claimed`;
  if (inserted.length > 0) return { kind: 'claimed' };
  const [row] = await sql<{ fingerprint: string; status: number; response: unknown }[]>`
    select fingerprint, status, response from idempotency_keys where subject = ${subject} and key = ${key}`;
  if (!row) throw new Error(`idempotency key ${key} vanished while claimed`);
  return row.fingerprint === fingerprint
    ? { kind: 'replay', status: row.status, body: row.response }
    : { kind: 'mismatch' };
}

/**
 * Looks `key` up without claiming it: the stored response if one committed, `mismatch` if it
 * came with another request, undefined otherwise (unknown, or its first request still running).
 * For an operation that must replay before side effects the claim cannot roll back (a call to
 * another service); the claim in the transaction stays the guarantee.
 */
export async function findIdempotentResponse(
  sql: Database,
  subject: string,
  key: string,
  fingerprint: string,
): Promise<Exclude<Claim, { kind: 'claimed' }> | undefined> {
  const [row] = await sql<{ fingerprint: string; status: number; response: unknown }[]>`
    select fingerprint, status, response from idempotency_keys
     where subject = ${subject} and key = ${key} and status is not null`;
  if (!row) return undefined;
  return row.fingerprint === fingerprint
    ? { kind: 'replay', status: row.status, body: row.response }
    : { kind: 'mismatch' };
}

export async function storeIdempotentResponse(
  sql: Database,
  subject: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await sql`
    update idempotency_keys set status = ${status}, response = ${sql.json(body as Parameters<typeof sql.json>[0])}
     where subject = ${subject} and key = ${key}`;
}

/** Forgets keys older than the retention; returns how many. */
export async function deleteExpiredIdempotencyKeys(
  sql: Database,
  ttlHours: number,
): Promise<number> {
  const rows =
    await sql`delete from idempotency_keys where created_at < now() - make_interval(hours => ${ttlHours}) returning 1`;
  return rows.length;
}
