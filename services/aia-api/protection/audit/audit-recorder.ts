import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Database } from '../../../platform/db.js';
import type { PeriodicWorker } from '../../../platform/workers.js';
import { type AuditMetrics, createAuditMetrics } from './audit-metrics.js';
import { appendAuditRecord, appendAuditRecords } from './audit-store.js';
import type { AuditEntry } from './chain.js';
import { groupAppend } from './group-append.js';

export interface AuditRecorderOptions {
  readonly sql: Database;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Records kept for retry while the database refuses writes. Default 10,000. */
  readonly maxPending?: number;
  /** Pause between attempts to drain the retry queue. Default 1 s. */
  readonly retryIntervalMs?: number;
  /**
   * Longest a call's answer waits for its record. Past it the answer goes back and the write
   * goes on (queued for retry if it then fails): a slow database must not turn completed changes
   * into timeouts. Default 2 s.
   */
  readonly maxWaitMs?: number;
}

/** Writes audit records to the chain, never failing the call they describe. */
export interface AuditRecorder {
  /**
   * Appends `entry` now, waiting at most `maxWaitMs`; if the write fails (or earlier records
   * still wait, to keep their order), it is queued for the retry worker, logged and counted.
   * Never throws.
   */
  record(entry: AuditEntry): Promise<void>;
  /** Drains the retry queue in order (the kit's periodic worker; `/readyz` `worker:audit-retry`). */
  readonly worker: PeriodicWorker;
  /** Records waiting in the retry queue. */
  pending(): number;
}

/**
 * The audit trail's writer. A state-changing call is recorded before its answer goes back, so a
 * caller never holds an acknowledgement the trail lacks while the database works; when it does
 * not, the answer is still returned (the change is done: refusing it now would lie) and the
 * record waits in a bounded in-memory queue, retried in order until written. Records are lost
 * only if the process dies, or the queue overflows, before the database returns: both are
 * logged with the whole record and counted (`gateway_audit_dropped_total` for the overflow).
 */
export function createAuditRecorder({
  sql,
  logger,
  registry,
  maxPending = 10_000,
  retryIntervalMs = 1_000,
  maxWaitMs = 2_000,
}: AuditRecorderOptions): AuditRecorder {
  const metrics: AuditMetrics = createAuditMetrics(registry);
  const queue: AuditEntry[] = [];
  // Calls answered at the same time share one transaction (group-append.ts).
  const append = groupAppend((entries) => appendAuditRecords(sql, entries));
  const timed = async (entry: AuditEntry, path: 'direct' | 'retried') => {
    const started = performance.now();
    await (path === 'direct' ? append(entry) : appendAuditRecord(sql, entry));
    metrics.written(path, (performance.now() - started) / 1000);
  };
  const enqueue = (entry: AuditEntry) => {
    if (queue.length >= maxPending) {
      metrics.dropped();
      logger.error({ audit: entry }, 'audit retry queue full: record dropped');
      return;
    }
    queue.push(entry);
    metrics.pending(queue.length);
  };
  return {
    async record(entry) {
      if (queue.length > 0) {
        enqueue(entry);
        return;
      }
      const written = timed(entry, 'direct').catch((error: unknown) => {
        metrics.failed();
        logger.error({ err: error, audit: entry }, 'audit write failed: queued for retry');
        enqueue(entry);
      });
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxWaitMs);
      });
      await Promise.race([written, waited]);
      clearTimeout(timer);
    },
    worker: {
      name: 'audit-retry',
      intervalMs: retryIntervalMs,
      run: async () => {
        while (queue.length > 0) {
          const [entry] = queue as [AuditEntry];
          try {
            await timed(entry, 'retried');
          } catch (error) {
            metrics.failed();
            throw error;
          }
          queue.shift();
          metrics.pending(queue.length);
        }
        return 'idle';
      },
    },
    pending: () => queue.length,
  };
}
