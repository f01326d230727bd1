import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { appErrorFromDatabase } from '../../platform/database-errors.js';
import type { Database } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { requestFingerprint } from '../../platform/idempotency/fingerprint.js';
import { REPLAYED_HEADER, runIdempotently } from '../../platform/idempotency/idempotent.js';
import type { AppEnv } from '../../platform/types.js';
import type { LedgerCode } from '../domain/ledgers.js';
import type { TransferResult } from '../domain/types.js';
import type { LedgerMetrics } from '../metrics.js';
import type { Caller } from '../operations/apply-operation.js';
import type { GroupCommit } from '../operations/group-commit.js';
import { TransferRefusedError } from '../operations/transfer-refused.js';

/** What a write operation answers, and what it did for the metrics. */
export interface Reply {
  readonly status: 200 | 201;
  readonly body: object;
  readonly ledger?: LedgerCode;
  readonly results?: readonly TransferResult[];
}

export interface Operation {
  /** Metric label of the operation, e.g. `transfer` or `batch`. */
  readonly name: string;
  /** The validated request, fingerprinted for `Idempotency-Key`. */
  readonly input: unknown;
  /** Ledger for counting a refusal before the ledger is known from the data. */
  readonly ledger?: LedgerCode;
  /** Transfers at stake, counted as failed if an error (not a rule) stops the operation. */
  readonly transfers?: number;
  readonly work: (tx: Database, caller: Caller) => Promise<Reply>;
  /**
   * The same without a transaction of its own (group commit), used when the request has no
   * Idempotency-Key (a key must be claimed in the operation's own transaction).
   */
  readonly grouped?: (caller: Caller) => Promise<Reply>;
}

export interface WriteContext {
  readonly sql: Database;
  readonly metrics: LedgerMetrics;
  readonly groupCommit: GroupCommit;
}

export const callerOf = (c: Context<AppEnv>): Caller => {
  const principal = c.get('principal');
  return {
    subject: principal?.subject ?? 'anonymous',
    admin: principal?.scopes.has('treasury:admin') ?? false,
    requestId: c.get('requestId'),
  };
};

/**
 * Runs a write: in one transaction with its `Idempotency-Key` claimed (see `runIdempotently`), or
 * through group commit when it has none and the operation allows it; counts and times it.
 */
export async function perform(
  c: Context<AppEnv>,
  { sql, metrics }: WriteContext,
  operation: Operation,
): Promise<Response> {
  const caller = callerOf(c);
  const key = c.req.header('Idempotency-Key');
  const stop = metrics.startTimer(operation.name);
  try {
    const { reply, replayed } =
      operation.grouped && key === undefined
        ? { reply: await operation.grouped(caller), replayed: false }
        : await runIdempotently(
            sql,
            key === undefined
              ? undefined
              : {
                  subject: caller.subject,
                  key,
                  fingerprint: requestFingerprint(c.req.method, c.req.path, operation.input),
                },
            (tx) => operation.work(tx, caller),
          );
    if (!replayed && 'results' in reply && reply.results && reply.ledger)
      metrics.countResults(reply.ledger, reply.results);
    stop('committed');
    return c.json(
      reply.body,
      reply.status as ContentfulStatusCode,
      replayed ? REPLAYED_HEADER : {},
    );
  } catch (error) {
    const ledger =
      (error instanceof TransferRefusedError ? error.ledger : undefined) ??
      operation.ledger ??
      'AIA';
    const refusal = error instanceof AppError ? error : appErrorFromDatabase(error);
    if (refusal && refusal.status < 500) {
      if (error instanceof TransferRefusedError)
        metrics.countResults(ledger, [
          { status: 'failed', error: { code: error.code, detail: error.message } },
        ]);
      stop('rejected');
    } else {
      metrics.countFailed(ledger, operation.transfers ?? 1);
      stop('failed');
    }
    throw error;
  }
}
