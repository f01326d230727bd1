import type { Database } from '../db.js';
import { ConflictError } from '../errors.js';
import { inTransaction } from '../transactions.js';
import {
  claimIdempotencyKey,
  findIdempotentResponse,
  storeIdempotentResponse,
} from './idempotency-store.js';

/** What a write answers: the status and body an `Idempotency-Key` retry gets again. */
export interface StoredReply {
  readonly status: number;
  readonly body: object;
}

/** A caller's `Idempotency-Key` and the fingerprint of the request it came with. */
export interface IdempotencyClaim {
  readonly subject: string;
  readonly key: string;
  readonly fingerprint: string;
}

export type IdempotentOutcome<R extends StoredReply> =
  | { readonly replayed: false; readonly reply: R }
  | { readonly replayed: true; readonly reply: StoredReply };

/**
 * Runs `work` in one transaction (retried after races, see `inTransaction`). With a claim, the key
 * is claimed in the same transaction: a retry replays the stored reply, another request under the
 * same key is a 409, and a refusal stores nothing (the transaction rolls back), so the caller may
 * correct the request and send it again. A concurrent request with the same key waits for the
 * first to commit, then replays it. Needs the kit's `idempotency_keys` table (kit migration 001).
 */
export async function runIdempotently<R extends StoredReply>(
  sql: Database,
  claim: IdempotencyClaim | undefined,
  work: (tx: Database) => Promise<R>,
): Promise<IdempotentOutcome<R>> {
  return inTransaction(sql, async (tx): Promise<IdempotentOutcome<R>> => {
    if (claim === undefined) return { replayed: false, reply: await work(tx) };
    const { subject, key, fingerprint } = claim;
    const found = await claimIdempotencyKey(tx, subject, key, fingerprint);
    if (found.kind === 'mismatch') throw keyReusedError(key);
    if (found.kind === 'replay') {
      return { replayed: true, reply: { status: found.status, body: found.body as object } };
    }
    const reply = await work(tx);
    await storeIdempotentResponse(tx, subject, key, reply.status, reply.body);
    return { replayed: false, reply };
  });
}

/**
 * The stored reply of `claim`'s key, looked up read-only before `runIdempotently`: an operation
 * with side effects outside the transaction (opening an account in another service) replays a
 * finished request without redoing them or checking rules that have changed since. Undefined
 * when nothing is stored yet; a key used with another request is the same 409.
 */
export async function storedReply(
  sql: Database,
  claim: IdempotencyClaim | undefined,
): Promise<{ readonly replayed: true; readonly reply: StoredReply } | undefined> {
  if (claim === undefined) return undefined;
  const found = await findIdempotentResponse(sql, claim.subject, claim.key, claim.fingerprint);
  if (found === undefined) return undefined;
  if (found.kind === 'mismatch') throw keyReusedError(claim.key);
  return { replayed: true, reply: { status: found.status, body: found.body as object } };
}

const keyReusedError = (key: string) =>
  new ConflictError(`Idempotency-Key '${key}' was already used with a different request body`, {
    errors: [{ field: 'Idempotency-Key', reason: 'already used with a different request' }],
  });

/** The header a replayed response carries. */
export const REPLAYED_HEADER = { 'Idempotent-Replayed': 'true' } as const;
