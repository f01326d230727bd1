import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the gateway records of its audit trail, on the service's registry. */
export interface AuditMetrics {
  /** A record reached the chain: at once, or from the retry queue. */
  written(path: 'direct' | 'retried', seconds: number): void;
  /** A write failed; the record waits in the retry queue. */
  failed(): void;
  /** The retry queue was full: the record is lost (logged in full). */
  dropped(): void;
  pending(count: number): void;
}

/**
 * `gateway_audit_records_total{path}` (records written, `direct` or `retried`),
 * `gateway_audit_write_failures_total`, `gateway_audit_dropped_total` (records lost to a full
 * retry queue: page on any), `gateway_audit_pending` (records waiting to be written) and
 * `gateway_audit_write_seconds` (one append: what a state-changing call waits for).
 */
export function createAuditMetrics(registry: Registry): AuditMetrics {
  const records = new Counter({
    name: 'gateway_audit_records_total',
    help: 'Audit records written to the chain, at once (direct) or from the retry queue (retried)',
    labelNames: ['path'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'gateway_audit_write_failures_total',
    help: 'Audit writes that failed; their records wait in the retry queue',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'gateway_audit_dropped_total',
    help: 'Audit records lost because the retry queue was full',
    registers: [registry],
  });
  const pending = new Gauge({
    name: 'gateway_audit_pending',
    help: 'Audit records waiting in the retry queue',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_audit_write_seconds',
    help: 'Time to append one audit record (transaction under the chain lock, outbox included)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [registry],
  });
  records.inc({ path: 'direct' }, 0);
  records.inc({ path: 'retried' }, 0);
  return {
    written: (path, seconds) => {
      records.inc({ path });
      duration.observe(seconds);
    },
    failed: () => failures.inc(),
    dropped: () => dropped.inc(),
    pending: (count) => pending.set(count),
  };
}
