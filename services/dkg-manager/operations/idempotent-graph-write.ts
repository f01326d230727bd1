import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db.js';
import {
  type IdempotencyClaim,
  type IdempotentOutcome,
  runIdempotently,
  type StoredReply,
  storedReply,
} from '../../platform/idempotency/idempotent.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';

/**
 * The id a create gives what it makes: derived from the caller and its Idempotency-Key, so a
 * retry of a create whose graph write committed (and whose reply was not stored) finds what the
 * first attempt made instead of making it twice; random without a key.
 */
export const idFor = (purpose: string, claim: IdempotencyClaim | undefined): string =>
  claim
    ? nameBasedUuid(JSON.stringify(['dkg-manager', purpose, claim.subject, claim.key]))
    : randomUUID();

/**
 * A create under the kit's Idempotency-Key rules when the graph may live outside PostgreSQL
 * (Neo4j): a stored reply replays first; otherwise `write` runs (its own graph transaction,
 * idempotent through `idFor`), then its reply is stored under the key. A refusal stores nothing.
 */
export async function idempotentGraphWrite<R extends StoredReply>(
  sql: Database,
  claim: IdempotencyClaim | undefined,
  write: () => Promise<R>,
): Promise<IdempotentOutcome<R>> {
  if (claim === undefined) return { replayed: false, reply: await write() };
  const stored = await storedReply(sql, claim);
  if (stored) return stored;
  const reply = await write();
  return runIdempotently(sql, claim, async () => reply);
}
