import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { appErrorFromDatabase } from '../../platform/database-errors.js';
import type { Database } from '../../platform/db.js';
import { AppError, ConflictError } from '../../platform/errors.js';
import type { AppEnv } from '../../platform/types.js';
import type { LedgerCode } from '../domain/ledgers.js';
import type { TransferResult } from '../domain/types.js';
import type { GroupCommit } from '../group-commit.js';
import type { Caller } from '../ledger.js';
import type { LedgerMetrics } from '../ledger-metrics.js';
import { claimIdempotencyKey, storeIdempotentResponse } from '../repository/idempotency-store.js';
import { inTransaction } from '../repository/transaction.js';
import { TransferRefusedError } from './transfer-refused.js';

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
 * Runs a write in one transaction, retried after races. With an `Idempotency-Key` header the key
 * is claimed in the same transaction: a retry replays the stored response (header
 * `Idempotent-Replayed: true`), another body under the same key is a 409, and a refusal stores
 * nothing (the transaction rolls back), so the caller may correct the request and send it again.
 */
export async function perform(
  c: Context<AppEnv>,
  { sql, metrics }: WriteContext,
  operation: Operation,
): Promise<Response> {
  const caller = callerOf(c);
  const key = c.req.header('Idempotency-Key');
  const fingerprint =
    key === undefined ? '' : fingerprintOf(c.req.method, c.req.path, operation.input);
  const stop = metrics.startTimer(operation.name);
  let replayed = false;
  try {
    const reply =
      operation.grouped && key === undefined
        ? await operation.grouped(caller)
        : await inTransaction(sql, async (tx) => {
            if (key !== undefined) {
              const claim = await claimIdempotencyKey(tx, caller.subject, key, fingerprint);
              if (claim.kind === 'mismatch') {
                throw new ConflictError(
                  `Idempotency-Key '${key}' was already used with a different request body`,
                  {
                    errors: [
                      { field: 'Idempotency-Key', reason: 'already used with a different request' },
                    ],
                  },
                );
              }
              if (claim.kind === 'replay') {
                replayed = true;
                return { status: claim.status as Reply['status'], body: claim.body as object };
              }
            }
            const result = await operation.work(tx, caller);
            if (key !== undefined)
              await storeIdempotentResponse(tx, caller.subject, key, result.status, result.body);
            return result;
          });
    if (reply.results && reply.ledger) metrics.countResults(reply.ledger, reply.results);
    stop('committed');
    return c.json(
      reply.body,
      reply.status as ContentfulStatusCode,
      replayed ? { 'Idempotent-Replayed': 'true' } : {},
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

function fingerprintOf(method: string, path: string, input: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(input)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so the same body fingerprints the same however it was written. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
