import { randomUUID } from 'node:crypto';
import {
  type IdempotencyClaim,
  type IdempotentOutcome,
  runIdempotently,
  type StoredReply,
  storedReply,
} from '../../platform/idempotency/idempotent.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import type { GraphTx } from '../graph/graph-store.js';
import { postgresGraphTx } from '../graph/postgres/postgres-graph-tx.js';
import { type ChangeSubject, publishChanges } from './dkg-change-events.js';
import type { DkgContext } from './dkg-context.js';

/**
 * The id a create gives what it makes: derived from the caller and its Idempotency-Key, so a
 * retry of a create whose graph write committed (and whose reply was not stored) finds what the
 * first attempt made instead of making it twice; random without a key.
 */
export const idFor = (purpose: string, claim: IdempotencyClaim | undefined): string =>
  claim
    ? nameBasedUuid(JSON.stringify(['dkg-manager', purpose, claim.subject, claim.key]))
    : randomUUID();

/** What a graph write answers, and what it changed (or found made), for the change events. */
export interface GraphChange<R> {
  readonly reply: R;
  readonly changed: readonly ChangeSubject[];
}

/**
 * A registry write: `work` (graph operations only) runs, and the changes it reports are published
 * on `aia.dkg.changes.v1` (see `publishChanges`), under the kit's Idempotency-Key rules when
 * `claim` is given (a stored reply replays, publishing nothing; a refusal stores and publishes
 * nothing).
 *
 * - Graph on PostgreSQL (in the service's database, `sql`): one transaction holds the key, the
 *   graph write, the events and the reply; all commit or none.
 * - Graph on Neo4j: a stored reply replays first; the graph write commits in Neo4j; then one
 *   PostgreSQL transaction publishes what the graph holds and was not published, and stores the
 *   reply. A failure between the two leaves the change unacknowledged: its retry (same key, so
 *   the same ids, or the same relation) finds the change made and publishes it then; a retry
 *   whose events were published finds nothing left to publish.
 */
export async function idempotentGraphWrite<R extends StoredReply>(
  { graph, sql }: DkgContext,
  claim: IdempotencyClaim | undefined,
  actor: string | undefined,
  work: (tx: GraphTx) => Promise<GraphChange<R>>,
): Promise<IdempotentOutcome<R>> {
  if (graph.backend === 'postgres')
    return runIdempotently(sql, claim, async (tx) => {
      const graphTx = postgresGraphTx(tx);
      const { reply, changed } = await work(graphTx);
      await publishChanges(tx, (read) => read(graphTx), changed, actor);
      return reply;
    });
  const stored = await storedReply(sql, claim);
  if (stored) return stored;
  const { reply, changed } = await graph.write(work);
  return runIdempotently(sql, claim, async (tx) => {
    // Write transactions run on Neo4j's leader, which has every committed write.
    await publishChanges(tx, (read) => graph.write(read), changed, actor);
    return reply;
  });
}

/** `idempotentGraphWrite` without an Idempotency-Key, for writes that answer a plain value. */
export async function graphWrite<T extends object>(
  context: DkgContext,
  actor: string | undefined,
  work: (
    tx: GraphTx,
  ) => Promise<{ readonly result: T; readonly changed: readonly ChangeSubject[] }>,
): Promise<T> {
  const { reply } = await idempotentGraphWrite(context, undefined, actor, async (tx) => {
    const { result, changed } = await work(tx);
    return { reply: { status: 200, body: result }, changed };
  });
  return reply.body as T;
}
